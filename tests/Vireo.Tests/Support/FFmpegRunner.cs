using System.Diagnostics;

namespace Vireo.Tests.Support;

/// <summary>Runs ffmpeg for test set-up (making videos) and ffprobe for looking into them, failing the test with the tool's message if it fails.</summary>
public static class FFmpegRunner
{
    public static async Task RunAsync(params string[] arguments) =>
        await RunToolAsync("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. arguments]);

    /// <summary>The <paramref name="entries"/> (e.g. "packet=pts_time,pos,size") ffprobe shows for each packet or frame of one stream, by name.</summary>
    public static async Task<List<Dictionary<string, string>>> ProbeAsync(string video, string stream, string entries)
    {
        var output = await RunToolAsync("ffprobe", ["-v", "error", "-select_streams", stream, "-show_entries", entries, "-of", "compact=p=0", video]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|').Select(field => field.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]))];
    }

    private static async Task<string> RunToolAsync(string tool, string[] arguments)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + tool);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed: {await stderr}");
        return stdout;
    }
}
