namespace Vireo.Tests.Support;

/// <summary>Finds the repository root (the folder with Vireo.slnx) and ../shared beside it.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vireo.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (Vireo.slnx) above " + AppContext.BaseDirectory);
    });

    public static string Root => LazyRoot.Value;
}

/// <summary>
/// The read-only ../shared folder: real annotations, features, videos and test vectors. Tests that need it
/// call <see cref="Require"/>, which skips them with a clear message when it is absent (a user's clone) and
/// fails them under CI, where it must be present.
/// </summary>
public static class SharedData
{
    public static string Directory =>
        Environment.GetEnvironmentVariable("VIREO_SHARED") is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared"));

    /// <summary>The full path of <paramref name="relativePath"/> inside ../shared; skips the test when missing.</summary>
    public static string Require(string relativePath)
    {
        var path = Path.Combine(Directory, relativePath);
        if (File.Exists(path) || System.IO.Directory.Exists(path))
            return path;
        var message = $"../shared is not available ({path} is missing); this test needs the shared data set";
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            Assert.Fail(message + " and CI must have it");
        Assert.Skip(message);
        return path;
    }
}
