using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Vireo.Cluster;
using Vireo.Library;
using Vireo.Models;
using Vireo.Retrieval;

namespace Vireo.Bench;

/// <summary>
/// The cluster path's overhead (issue 19): one synthetic library of five-minute videos (ViT-B/32-compute model) searched
/// as one library on this machine, through one Orleans silo that owns it, and through three silos (in this process,
/// localhost clustering) that own a third each; the same videos in every case. Query latency p50/p99 and the ratios to
/// the single library; the answers are checked equal on every query.
/// </summary>
internal sealed class ClusterBench : IBenchSuite
{
    public string Name => "cluster";

    public string Description => "cluster mode: query latency with 1 and 3 silos against the single library of the same videos (--hours H, default 500); --ingest: ingest throughput with 1 and 3 silos instead";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var hours = args.SkipWhile(a => a != "--hours").Skip(1).Select(double.Parse).FirstOrDefault(500);
        var queries = args.Contains("--quick") ? 30 : 200;
        report.Context("load_average_at_start", BenchMachine.LoadAverage());
        var work = Path.Combine(Path.GetTempPath(), "vireo-bench");
        using var model = await LibraryBench.LoadVitB32Async(work, report);
        if (args.Contains("--ingest"))
        {
            await ClusterIngestBench.RunAsync(model, work, report);
            report.Context("load_average_at_end", BenchMachine.LoadAverage());
            return;
        }
        var videos = (int)Math.Round(hours * 3600 / (LibraryBench.ClipsPerVideo * 2.0));
        var thirds = new[] { 0, videos / 3, 2 * videos / 3, videos };
        var whole = Generate(Path.Combine(work, $"cluster-whole-{videos}-{model.Identity.Fingerprint}"), model, [(0, 1), (1, 2), (2, 3)], thirds);
        var shards = Enumerable.Range(0, 3).Select(i => Generate(Path.Combine(work, $"cluster-shard{i}-{videos}-{model.Identity.Fingerprint}"), model, [(i, i + 1)], thirds)).ToArray();
        report.Context("library", $"{videos:N0} videos ({hours:N0} h), split {thirds[1] - thirds[0]:N0} / {thirds[2] - thirds[1]:N0} / {thirds[3] - thirds[2]:N0}; catalog {new FileInfo(whole.CatalogPath).Length / 1e9:0.00} GB ({new FileInfo(whole.CatalogPath).Length / hours / 1e6:0.0} MB per video hour)");
        var sentences = LibraryBench.Sentences(queries);
        var options = new SearchOptions { TopVideos = 10, Candidates = 30, ShardDeadline = TimeSpan.FromSeconds(30) };

        using var single = new LibrarySearcher(whole, model, options);
        var singleTimes = await LatenciesAsync(sentences, s => single.SearchAsync(s));
        Report(report, "single library (this process)", singleTimes, null);

        foreach (var silos in new[] { 1, 3 })
        {
            var ports = ClusterConnection.FreeLoopbackPorts(2 * silos);
            var connection = new ClusterConnection { ClusterId = $"bench-{silos}", PrimarySiloPort = ports[0], GatewayPort = ports[1] };
            var hosts = new List<IHost>();
            var owned = new List<SiloShards>();
            try
            {
                for (var i = 0; i < silos; i++)
                {
                    var libraries = silos == 1 ? [whole.Directory] : new[] { shards[i].Directory };
                    owned.Add(new SiloShards($"silo-{i}", libraries, model, options));
                    hosts.Add(await new VireoSilo($"silo-{i}", connection, ports[2 * i], ports[(2 * i) + 1]).StartAsync(owned[^1], CancellationToken.None));
                }
                await using var client = await ClusterSearch.ConnectAsync(connection, CancellationToken.None);
                var unequal = 0;
                foreach (var sentence in sentences.Take(20))
                {
                    var expected = await single.SearchAsync(sentence);
                    var actual = await client.SearchAsync(sentence, model, options, CancellationToken.None);
                    if (!Same(expected, actual))
                        unequal++;
                }
                var times = await LatenciesAsync(sentences, s => client.SearchAsync(s, model, options, CancellationToken.None));
                Report(report, $"{silos} silo{(silos == 1 ? "" : "s")} (in this process, loopback)", times, singleTimes);
                report.Add($"  answers equal to the single library's ({silos} silo{(silos == 1 ? "" : "s")})", 20 - unequal, "of 20");
            }
            finally
            {
                hosts.Reverse(); // the primary silo (localhost clustering keeps the membership table) stops last
                foreach (var host in hosts)
                {
                    await host.StopAsync();
                    host.Dispose();
                }
                owned.ForEach(o => o.Dispose());
            }
        }
        report.Context("load_average_at_end", BenchMachine.LoadAverage());
    }

    private static VideoLibrary Generate(string directory, EmbeddingModel model, (int From, int To)[] parts, int[] thirds)
    {
        var library = VideoLibrary.Open(directory);
        var expected = parts.Sum(p => thirds[p.To] - thirds[p.From]);
        if (library.ListVideos().Count == expected)
            return library;
        library.Bind(new LibrarySettings(model.Identity, 2.0, 2, model.Files.Root));
        foreach (var (from, to) in parts)
            LibraryBench.GenerateLibrary(library, model.Identity, thirds[from], thirds[to]);
        return library;
    }

    private static async Task<List<double>> LatenciesAsync(List<string> sentences, Func<string, Task<SearchResult>> search)
    {
        await search("warm up: load the tables");
        var times = new List<double>(sentences.Count);
        foreach (var sentence in sentences)
        {
            var watch = Stopwatch.StartNew();
            await search(sentence);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times;
    }

    private static void Report(BenchReport report, string name, List<double> times, List<double>? single)
    {
        var (p50, p99) = (times[times.Count / 2], times[Math.Min(times.Count - 1, (int)(times.Count * 0.99))]);
        report.Add($"query latency, {name}: p50", p50, "ms", single is null ? null : $"{p50 / single[single.Count / 2]:0.00}x the single library (target <= 1.3x)");
        report.Add($"query latency, {name}: p99", p99, "ms", single is null ? null : $"{p99 / single[Math.Min(single.Count - 1, (int)(single.Count * 0.99))]:0.00}x");
    }

    private static bool Same(SearchResult a, SearchResult b) =>
        a.Videos.Count == b.Videos.Count
        && a.Videos.Zip(b.Videos).All(p => p.First.Path == p.Second.Path && p.First.Score == p.Second.Score && p.First.Moments.SequenceEqual(p.Second.Moments))
        && a.Moments.Count == b.Moments.Count
        && a.Moments.Zip(b.Moments).All(p => p.First.Path == p.Second.Path && p.First.Score == p.Second.Score && p.First.Start == p.Second.Start);
}
