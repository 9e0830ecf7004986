namespace Vireo.Tests.Support;

/// <summary>Copies of the shared test model folders that a test may change.</summary>
public static class ModelCopies
{
    /// <summary>A copy of <paramref name="source"/>'s float32 model files and side files (no _quantized or _fp16 variants) at a new path.</summary>
    public static string WithoutVariants(string source, string name)
    {
        var target = TestVideos.NewPath(name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Contains("_quantized", StringComparison.Ordinal) || relative.Contains("_fp16", StringComparison.Ordinal))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
        return target;
    }
}
