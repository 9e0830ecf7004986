using Microsoft.Data.Sqlite;
using Vireo.Library;
using Vireo.Tests.Support;

namespace Vireo.Tests.Server;

/// <summary>Library roots in the catalog, and the guard that keeps served files inside them.</summary>
public class RootsGuardTests
{
    [Fact]
    public void Real_path_resolves_links_in_every_component()
    {
        using var folder = new TempFolder();
        var real = Directory.CreateDirectory(folder.File("real/inner")).FullName;
        File.WriteAllText(Path.Combine(real, "clip.mp4"), "x");
        Directory.CreateSymbolicLink(folder.File("link"), folder.File("real"));
        File.CreateSymbolicLink(folder.File("real/inner/alias.mp4"), "clip.mp4");
        var root = RootsGuard.RealPath(folder.Path);
        Assert.Equal(Path.Combine(root, "real", "inner", "clip.mp4"), RootsGuard.RealPath(folder.File("link/inner/alias.mp4")));
        Assert.Equal(Path.Combine(root, "real", "inner"), RootsGuard.RealPath(folder.File("link/inner/../inner")));
        File.CreateSymbolicLink(folder.File("loop-a"), folder.File("loop-b"));
        File.CreateSymbolicLink(folder.File("loop-b"), folder.File("loop-a"));
        Assert.Throws<IOException>(() => RootsGuard.RealPath(folder.File("loop-a")));
    }

    [Fact]
    public void Only_files_whose_real_path_is_inside_a_root_are_allowed()
    {
        using var folder = new TempFolder();
        var library = VideoLibrary.Open(folder.File("library"));
        Directory.CreateDirectory(folder.File("videos/sub"));
        Directory.CreateDirectory(folder.File("videos-evil"));
        Directory.CreateDirectory(folder.File("elsewhere"));
        foreach (var file in new[] { "videos/sub/a.mp4", "videos-evil/b.mp4", "elsewhere/c.mp4" })
            File.WriteAllText(folder.File(file), "x");
        File.CreateSymbolicLink(folder.File("videos/out.mp4"), folder.File("elsewhere/c.mp4"));
        Directory.CreateSymbolicLink(folder.File("videos/outdir"), folder.File("elsewhere"));
        library.AddRoots([folder.File("videos")]);
        var guard = new RootsGuard(library);

        Assert.NotNull(guard.Resolve(folder.File("videos/sub/a.mp4")));
        Assert.Null(guard.Resolve(folder.File("videos-evil/b.mp4"))); // a sibling sharing the prefix
        Assert.Null(guard.Resolve(folder.File("elsewhere/c.mp4")));
        Assert.Null(guard.Resolve(folder.File("videos/out.mp4")));
        Assert.Null(guard.Resolve(folder.File("videos/outdir/c.mp4")));
        Assert.Null(guard.Resolve(folder.File("videos/../elsewhere/c.mp4")));
        Assert.Null(guard.Resolve(folder.File("library/catalog.db")));
    }

    [Fact]
    public void Roots_are_kept_once_and_a_catalog_made_before_roots_existed_gains_them()
    {
        using var folder = new TempFolder();
        var library = VideoLibrary.Open(folder.File("library"));
        library.AddRoots([folder.File("a"), folder.File("a/../a"), folder.File("b")]);
        Assert.Equal([folder.File("a"), folder.File("b")], library.Roots);

        using (var connection = new SqliteConnection($"Data Source={library.CatalogPath};Pooling=False"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE roots";
            drop.ExecuteNonQuery();
        }
        var reopened = VideoLibrary.Open(folder.File("library"), create: false);
        Assert.Empty(reopened.Roots);
        reopened.AddRoots([folder.File("c")]);
        Assert.Equal([folder.File("c")], reopened.Roots);
    }
}
