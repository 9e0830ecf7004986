using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Vireo.Bench;

/// <summary>
/// `vireo index FILE` as a user runs it, in its own process (the Release build of src/Vireo.Cli beside this bench): its
/// real-time factor as it reports it, its CPU (the process and its FFmpeg children, from rusage once reaped) and its
/// peak memory (resident memory of the process plus its FFmpeg children, sampled every 50 ms).
/// </summary>
internal static class CliIngest
{
    public sealed record Run(double RealTimeFactor, double Elapsed, double SecondsIndexed, CpuSpan Cpu, long PeakBytes);

    public static Run Index(string video, string modelFolder, string? variant, string work)
    {
        foreach (var old in Directory.EnumerateDirectories(work, "cli-library*"))
            Directory.Delete(old, recursive: true);
        var library = Path.Combine(work, $"cli-library-{Guid.NewGuid():N}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments = [CliDll(), "index", video, "--library", library, "--model", modelFolder, "--channels", "none", "--json"];
        foreach (var a in arguments)
            info.ArgumentList.Add(a);
        if (variant is not null)
        {
            info.ArgumentList.Add("--variant");
            info.ArgumentList.Add(variant);
        }
        var start = CpuClock.Now();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.WaitForExit(50))
            peak = Math.Max(peak, TreeRss(process.Id));
        var cpu = CpuClock.Now().Since(start);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"vireo index failed ({process.ExitCode}): {errors.Result}{output.Result}");
        using var json = JsonDocument.Parse(output.Result);
        var root = json.RootElement;
        return new Run(root.GetProperty("real_time_factor").GetDouble(), root.GetProperty("elapsed_seconds").GetDouble(),
            root.GetProperty("seconds_indexed").GetDouble(), cpu, peak);
    }

    /// <summary>Resident bytes of a process and its descendants.</summary>
    private static long TreeRss(int pid)
    {
        long total = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    total += TreeRss(int.Parse(child, CultureInfo.InvariantCulture));
            }
        }
        catch (IOException)
        {
            // the process exited while it was read
        }
        catch (UnauthorizedAccessException)
        {
        }
        return total;
    }

    /// <summary>The CLI built beside the bench (dotnet build Vireo.slnx -c Release builds both).</summary>
    private static string CliDll()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "Vireo.Cli", "bin", "Release", "net10.0", "Vireo.Cli.dll");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("the Release build of src/Vireo.Cli (dotnet build Vireo.slnx -c Release)");
    }
}
