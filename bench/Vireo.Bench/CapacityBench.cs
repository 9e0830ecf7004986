using System.Diagnostics;
using System.Globalization;
using Vireo.Library;
using Vireo.Retrieval;

namespace Vireo.Bench;

/// <summary>
/// The figures a capacity plan stands on (issue 19): for synthetic libraries of growing size (five-minute videos,
/// ViT-B/32-compute model, clips at 0.5 per second as <c>vireo index</c> stores them), the bytes on disk per video hour,
/// the resident memory a searcher holds once warm, and query latency p50/p99. A silo's share of an archive is one such
/// library per partition, so these figures scale a cluster (docs/architecture.md, "Capacity plan").
/// </summary>
internal sealed class CapacityBench : IBenchSuite
{
    public string Name => "capacity";

    public string Description => "capacity plan figures: disk bytes and resident memory per video hour, query p50/p99 by library size (--hours 250,1000,3000)";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var sizes = args.SkipWhile(a => a != "--hours").Skip(1).Select(s => s.Split(',').Select(h => double.Parse(h, CultureInfo.InvariantCulture)).ToArray()).FirstOrDefault([250, 1000, 3000]);
        var queries = args.Contains("--quick") ? 30 : 100;
        report.Context("load_average_at_start", BenchMachine.LoadAverage());
        var work = Path.Combine(Path.GetTempPath(), "vireo-bench");
        using var model = await LibraryBench.LoadVitB32Async(work, report);
        var sentences = LibraryBench.Sentences(queries);
        foreach (var hours in sizes.Order())
        {
            var videos = (int)Math.Round(hours * 3600 / (LibraryBench.ClipsPerVideo * 2.0));
            var directory = Path.Combine(work, $"capacity-{videos}-{model.Identity.Fingerprint}");
            {
                var library = VideoLibrary.Open(directory);
                var stored = library.ListVideos().Count;
                if (stored < videos)
                {
                    Console.WriteLine($"# generating {videos:N0} synthetic videos ({hours:N0} h) in {directory} (once; resumes)...");
                    library.Bind(new LibrarySettings(model.Identity, 2.0, 2, model.Files.Root));
                    LibraryBench.GenerateLibrary(library, model.Identity, stored, videos);
                }
                await CoarseIndex.UpdateAsync(library);
            }
            var label = $"{hours:N0} h ({videos:N0} videos)";
            var bytes = Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length);
            report.Add($"{label}: on disk", bytes / 1e6 / hours, "MB/hour", $"{bytes / 1e9:0.00} GB in all (catalog, coarse index)");

            var probe = await ProbeAsync(directory, queries);
            report.Add($"{label}: resident memory of a warm searcher", probe.ResidentMb, "MB", $"{probe.ResidentMb / hours:0.00} MB per hour (a fresh process: growth over the loaded model after opening the library and {queries + 5} queries)");
            report.Add($"{label}: query p50", probe.P50, "ms", $"{queries} queries, top 10 of 30 candidates grounded");
            report.Add($"{label}: query p99", probe.P99, "ms");
        }
        report.Context("load_average_at_end", BenchMachine.LoadAverage());
    }

    /// <summary>Runs <see cref="CapacityProbe"/> in a fresh process, so the memory it reports is the searcher's alone.</summary>
    private static async Task<(double ResidentMb, double P50, double P99)> ProbeAsync(string directory, int queries)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        foreach (var arg in new[] { "capacity-probe", directory, queries.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(CapacityProbe.Prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException("capacity-probe printed no result:\n" + output);
        var values = line[CapacityProbe.Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return (values[0], values[1], values[2]);
    }
}

/// <summary>
/// One library's warm searcher in this process (started by <see cref="CapacityBench"/>): resident memory after the model
/// is loaded, then after opening the library and running the queries; prints the growth and the latencies.
/// </summary>
internal sealed class CapacityProbe : IBenchSuite
{
    internal const string Prefix = "CAPACITY-PROBE ";

    public string Name => "capacity-probe";

    public string Description => "(used by capacity) one library's warm searcher in a fresh process: DIR QUERIES";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var (directory, queries) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture));
        using var model = await LibraryBench.LoadVitB32Async(Path.Combine(Path.GetTempPath(), "vireo-bench"), report);
        model.Text.Encode("warm up the text encoder");
        var before = ResidentBytes();
        var library = VideoLibrary.Open(directory, create: false);
        using var searcher = new LibrarySearcher(library, model, new SearchOptions { TopVideos = 10, Candidates = 30 });
        var sentences = LibraryBench.Sentences(queries + 5);
        foreach (var sentence in sentences.Take(5))
            await searcher.SearchAsync(sentence);
        var times = new List<double>(queries);
        foreach (var sentence in sentences.Skip(5))
        {
            var watch = Stopwatch.StartNew();
            await searcher.SearchAsync(sentence);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var grown = (ResidentBytes() - before) / 1e6;
        times.Sort();
        FormattableString result = $"{Prefix}{grown:0.0} {times[times.Count / 2]:0.000} {times[Math.Min(times.Count - 1, (int)(times.Count * 0.99))]:0.000}";
        Console.WriteLine(result.ToString(CultureInfo.InvariantCulture));
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }
}
