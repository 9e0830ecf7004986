using Vireo.Media;

namespace Vireo.Tests.Support;

public static class Frames
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Samples and collects every frame (the caller disposes them).</summary>
    public static async Task<List<VideoFrame>> CollectAsync(string path, FrameSampling sampling, FrameSamplerOptions? options = null)
    {
        var frames = new List<VideoFrame>();
        await foreach (var frame in FrameSampler.SampleAsync(path, sampling, options, Ct))
            frames.Add(frame);
        return frames;
    }

    /// <summary>Processes still running whose command line mentions <paramref name="marker"/> (Linux /proc).</summary>
    public static int RunningProcessesMentioning(string marker)
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
                continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var status = File.ReadAllText(Path.Combine(dir, "status"));
                if (commandLine.Contains(marker, StringComparison.Ordinal) && !status.Contains("State:\tZ", StringComparison.Ordinal))
                    count++;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return count;
    }
}
