using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Vireo.Index;
using Vireo.Synthetic.Vectors;

namespace Vireo.Bench;

/// <summary>
/// Vector search at scale: exact scan vs IVF on synthetic clustered 512-d unit vectors (default 1,000,000, 2,000
/// topics of varying spread, videos of 10-100 clips) and 1,000 queries near the data: latency p50/p99, recall@10
/// against exact, speed-up, build and load time, bytes per vector; then where IVF starts to pay off.
/// </summary>
internal sealed class AnnBench : IBenchSuite
{
    private const int Dimension = 512;
    private const int K = 10;

    public string Name => "ann";

    public string Description => "exact vs IVF search on 1M synthetic clustered 512-d vectors: recall@10, p50/p99, build/load time, bytes/vector";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var count = Option(args, "--count", args.Contains("--quick") ? 200_000 : 1_000_000);
        var queryCount = Option(args, "--queries", 1000);
        var exactTimed = Math.Min(queryCount, Option(args, "--exact-queries", 200));
        var folder = Path.Combine(Path.GetTempPath(), "vireo-ann-bench");
        Directory.CreateDirectory(folder);
        report.Context("load_average", File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Trim() : "n/a");

        var watch = Stopwatch.StartNew();
        var data = await LoadOrGenerateAsync(Path.Combine(folder, $"clustered-{count}x{Dimension}-seed1.f16"), count);
        var queries = ClusteredVectors.Queries(data, Dimension, queryCount, seed: 2);
        var ids = new long[count];
        for (var i = 0; i < count; i++)
            ids[i] = i;
        report.Context("data", $"{count:N0} unit vectors, {Dimension}-d float16, 2,000 topics (spread 0.5-1.2), videos of 10-100 clips (spread 0.6); {queryCount} queries = a data point moved by 0.5-1.5 (cosine 0.55-0.9); ready in {watch.Elapsed.TotalSeconds:0.0} s");

        // Exact search.
        watch.Restart();
        var exact = new ExactIndex(Dimension);
        exact.Add(ids, data);
        report.Add("exact: add all vectors", watch.Elapsed.TotalSeconds, "s");
        report.Add("exact: memory per vector", (double)exact.MemoryBytes / count, "bytes", "float16 rows + 8-byte id");
        var exactOne = Latencies(exact, queries, exactTimed, new VectorSearchOptions { MaxThreads = 1 }, out _);
        report.Add("exact: p50 latency, 1 thread", exactOne.P50, "ms", $"{exactTimed} queries; p99 {exactOne.P99:0.0} ms");
        var exactAll = Latencies(exact, queries, exactTimed, VectorSearchOptions.Default, out _);
        report.Add($"exact: p50 latency, {Environment.ProcessorCount} threads", exactAll.P50, "ms", $"p99 {exactAll.P99:0.0} ms");
        var exactBest = Math.Min(exactOne.P50, exactAll.P50);
        watch.Restart();
        var truth = exact.SearchBatch(queries, K);
        var batchSeconds = watch.Elapsed.TotalSeconds;
        report.Add("exact: batch of all queries (ground truth)", batchSeconds * 1000 / queryCount, "ms/query", $"{queryCount} queries in {batchSeconds:0.0} s, blocked matrix product");

        // IVF build, persistence.
        watch.Restart();
        var ivf = IvfIndex.Build(Dimension, ids, data);
        var buildSeconds = watch.Elapsed.TotalSeconds;
        report.Add("ivf: build (k-means on a sample + assign all)", buildSeconds, "s", $"{ivf.ListCount} lists, sample {Math.Min(count, 48 * ivf.ListCount):N0}, 10 iterations");
        report.Add("ivf: memory per vector", (ivf.MemoryBytes + (long)ivf.ListCount * Dimension * 4) / (double)count, "bytes", "rows + id + centroids share");
        exact = null; // frees 1 GB before the sweep
        data = null;
        GC.Collect();
        var path = Path.Combine(folder, "index.vix");
        watch.Restart();
        await ivf.SaveAsync(path);
        report.Add("ivf: save (atomic, checksummed)", watch.Elapsed.TotalSeconds, "s");
        report.Add("ivf: file bytes per vector", new FileInfo(path).Length / (double)count, "bytes");
        watch.Restart();
        var loaded = (IvfIndex)await VectorIndex.LoadAsync(path, Dimension);
        report.Add("ivf: load (file in page cache, checksum verified)", watch.Elapsed.TotalSeconds, "s");
        ivf = loaded;

        // Recall and latency per probe count.
        (int Probes, double Recall, double Speedup)? best = null;
        foreach (var probes in new SortedSet<int> { 2, 4, 8, 12, 16, 24, 32, 48, 64, ivf.DefaultProbes })
        {
            var options = new VectorSearchOptions { Probes = probes, MaxThreads = 1 };
            var latency = Latencies(ivf, queries, queryCount, options, out var answers);
            var recall = SearchRecall.Mean(truth, answers);
            var speedup = exactBest / latency.P50;
            var isDefault = probes == ivf.DefaultProbes ? " (default)" : "";
            report.Add($"ivf probes={probes}{isDefault}: recall@10", recall, "", $"p50 {latency.P50:0.00} ms, p99 {latency.P99:0.00} ms, {speedup:0.0}x exact p50, {ScannedFraction(ivf, probes):P1} of vectors scanned");
            report.Add($"ivf probes={probes}: p50 latency, 1 thread", latency.P50, "ms");
            report.Add($"ivf probes={probes}: p99 latency, 1 thread", latency.P99, "ms");
            if (recall >= 0.95 && speedup >= 20 && (best is null || speedup > best.Value.Speedup))
                best = (probes, recall, speedup);
        }
        if (best is { } b)
            report.Add("target recall@10 >= 0.95 at >= 20x exact: met", b.Speedup, "x", $"probes={b.Probes}, recall {b.Recall:0.000}");
        else
            report.Add("target recall@10 >= 0.95 at >= 20x exact: NOT met", 0, "x");

        await ThresholdStudyAsync(path, report);
    }

    /// <summary>Exact vs IVF (default options) on prefixes of the data: where IVF starts to pay off.</summary>
    private static async Task ThresholdStudyAsync(string indexPath, BenchReport report)
    {
        var rows = ReadAll(await VectorIndex.LoadAsync(indexPath, Dimension));
        const int QueryCount = 300;
        foreach (var n in new[] { 10_000, 25_000, 50_000, 100_000, 200_000 })
        {
            if (n > rows.Ids.Length)
                break;
            // Queries near this subset (near the whole set, most would have no close neighbour in it).
            var queries = ClusteredVectors.Queries(rows.Vectors.AsSpan(0, n * Dimension), Dimension, QueryCount, seed: 3);
            var exact = new ExactIndex(Dimension);
            exact.Add(rows.Ids.AsSpan(0, n), rows.Vectors.AsSpan(0, n * Dimension));
            var exactLatency = Latencies(exact, queries, QueryCount, new VectorSearchOptions { MaxThreads = 1 }, out var truth);
            var ivf = IvfIndex.Build(Dimension, rows.Ids.AsMemory(0, n), rows.Vectors.AsMemory(0, n * Dimension));
            var ivfLatency = Latencies(ivf, queries, QueryCount, new VectorSearchOptions { MaxThreads = 1 }, out var answers);
            report.Add($"size {n:N0}: exact p50 / ivf p50 (1 thread)", exactLatency.P50 / ivfLatency.P50, "x",
                $"exact {exactLatency.P50:0.00} ms, ivf {ivfLatency.P50:0.00} ms ({ivf.ListCount} lists, {ivf.DefaultProbes} probes), recall@10 {SearchRecall.Mean(truth, answers):0.000}");
        }
    }

    private static (long[] Ids, Half[] Vectors) ReadAll(VectorIndex index)
    {
        // The file's lists in order; sorted back by id so prefixes are prefixes of the generated data.
        var lists = index.State.Lists;
        var ids = new long[index.Count];
        var vectors = new Half[(long)index.Count * Dimension];
        foreach (var list in lists)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var id = list.Ids[i];
                ids[id] = id;
                list.Rows.AsSpan(i * Dimension, Dimension).CopyTo(vectors.AsSpan((int)id * Dimension, Dimension));
            }
        }
        return (ids, vectors);
    }

    private static double ScannedFraction(IvfIndex index, int probes) =>
        Math.Min(1.0, (double)probes / index.ListCount);

    private static (double P50, double P99) Latencies(VectorIndex index, float[] queries, int count, VectorSearchOptions options, out IReadOnlyList<VectorHit>[] answers)
    {
        answers = new IReadOnlyList<VectorHit>[count];
        index.Search(queries.AsSpan(0, Dimension), K, options); // warm-up
        var times = new double[count];
        for (var q = 0; q < count; q++)
        {
            var start = Stopwatch.GetTimestamp();
            answers[q] = index.Search(queries.AsSpan(q * Dimension, Dimension), K, options);
            times[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return (times[count / 2], times[Math.Min(count - 1, (int)(count * 0.99))]);
    }

    private static async Task<Half[]> LoadOrGenerateAsync(string path, int count)
    {
        var bytes = (long)count * Dimension * 2;
        if (File.Exists(path) && new FileInfo(path).Length == bytes)
        {
            var cached = new Half[(long)count * Dimension];
            await using var stream = File.OpenRead(path);
            for (var row = 0; row < count; row += 1 << 20) // spans of bytes stay under 2 GB
                stream.ReadExactly(MemoryMarshal.AsBytes(cached.AsSpan(row * Dimension, Math.Min(1 << 20, count - row) * Dimension)));
            return cached;
        }
        var data = new ClusteredVectors(count, Dimension).Generate();
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            for (var row = 0; row < count; row += 1 << 20)
                stream.Write(MemoryMarshal.AsBytes(data.AsSpan(row * Dimension, Math.Min(1 << 20, count - row) * Dimension)));
        }
        File.Move(temporary, path, overwrite: true);
        return data;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
