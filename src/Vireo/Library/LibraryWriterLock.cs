using System.Globalization;

namespace Vireo.Library;

/// <summary>
/// The library's writer lock: an exclusive lock on <c>ingest.lock</c> in the library folder (FileShare.None, which is
/// flock(2) on Linux and macOS and a sharing lock on Windows), held for a whole indexing run. The operating system
/// releases it when the holder exits, even when it is killed, so a stale file never blocks anyone. Who holds it is
/// written to <c>ingest.owner</c> (the locked file itself cannot be read by others). Readers take no lock.
/// </summary>
public sealed class LibraryWriterLock : IDisposable
{
    public const string FileName = "ingest.lock";

    public const string OwnerFileName = "ingest.owner";

    private readonly FileStream _stream;
    private readonly string _ownerPath;

    private LibraryWriterLock(FileStream stream, string ownerPath)
    {
        _stream = stream;
        _ownerPath = ownerPath;
    }

    /// <summary>Takes the lock of the library in <paramref name="directory"/>, or says who holds it.</summary>
    /// <exception cref="LibraryBusyException">Another run (in this process or another) holds the lock.</exception>
    public static LibraryWriterLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var ownerPath = Path.Combine(directory, OwnerFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new LibraryBusyException(directory, Owner(ownerPath));
        }
        var owner = string.Create(CultureInfo.InvariantCulture,
            $"process {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
        try
        {
            File.WriteAllText(ownerPath, owner);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
                writer.Write(owner);
            stream.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Naming the holder is a courtesy; the lock itself is what matters.
        }
        return new LibraryWriterLock(stream, ownerPath);
    }

    private static string Owner(string ownerPath)
    {
        try
        {
            var owner = File.ReadAllText(ownerPath).Trim();
            return owner.Length > 0 ? owner : "another process";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "another process";
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_ownerPath); // before the lock goes, so the next holder's name is never deleted
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        _stream.Dispose();
    }
}
