using Microsoft.Data.Sqlite;

namespace Vireo.Library;

/// <summary>A consistent copy of a library, to move it to another machine while its writer is held off.</summary>
public sealed partial class VideoLibrary
{
    /// <summary>
    /// Writes a copy of the library into the empty folder <paramref name="target"/>: the catalog through SQLite's backup
    /// (every committed transaction, the WAL's included, in one self-contained file) and the coarse index file. The
    /// caller holds the writer lock, so the two agree; readers may go on meanwhile.
    /// </summary>
    /// <returns>The files written, relative to <paramref name="target"/>.</returns>
    public IReadOnlyList<string> SnapshotTo(string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        System.IO.Directory.CreateDirectory(target);
        var copy = Path.Combine(target, CatalogFileName);
        Guard(() =>
        {
            using var source = Connect();
            using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
            destination.Open();
            source.BackupDatabase(destination);
            using var journal = destination.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE"; // one file to move; opening it as a library turns WAL back on
            journal.ExecuteNonQuery();
            return 0;
        });
        var files = new List<string> { CatalogFileName };
        var coarse = CoarseIndex.PathOf(this);
        if (File.Exists(coarse))
        {
            File.Copy(coarse, Path.Combine(target, CoarseIndex.FileName));
            files.Add(CoarseIndex.FileName);
        }
        return files;
    }
}
