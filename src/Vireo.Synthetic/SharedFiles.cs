namespace Vireo.Synthetic;

/// <summary>
/// The shared data set (../shared beside the repository): real annotations, features, videos and CLIP's BPE merges,
/// which benchmarks and the offline demo read.
/// </summary>
public static class SharedFiles
{
    /// <summary>OpenAI CLIP's BPE merges, inside the shared folder.</summary>
    public const string ClipMerges = "data/clip/bpe_simple_vocab_16e6.txt.gz";

    /// <summary>
    /// <paramref name="relativePath"/> inside the shared folder: $VIREO_SHARED when set, else the first "shared" folder
    /// holding it beside the working directory or one of its parents, then beside the bench's binaries or one of
    /// theirs; null when there is none.
    /// </summary>
    public static string? Find(string relativePath)
    {
        if (Environment.GetEnvironmentVariable("VIREO_SHARED") is { Length: > 0 } shared)
            return Existing(Path.Combine(shared, relativePath));
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Existing(Path.Combine(dir.FullName, "..", "shared", relativePath)) is { } path)
                    return path;
            }
        }
        return null;
    }

    /// <summary>As <see cref="Find"/>, but a missing file is an error saying what needs it.</summary>
    public static string Require(string relativePath, string neededFor) =>
        Find(relativePath) ?? throw new FileNotFoundException(
            $"{neededFor} needs ../shared/{relativePath} (the shared data set beside the repository; or set VIREO_SHARED)", relativePath);

    private static string? Existing(string path) => File.Exists(path) || Directory.Exists(path) ? Path.GetFullPath(path) : null;
}
