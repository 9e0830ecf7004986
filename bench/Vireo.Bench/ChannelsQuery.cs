using System.Diagnostics;
using Vireo.Library;
using Vireo.Models;
using Vireo.Models.Sentences;
using Vireo.Retrieval;
using Vireo.TimedText;

namespace Vireo.Bench;

/// <summary>
/// Query latency with timed text: the shared videos indexed with subtitles (+ on-screen text), plus synthetic
/// five-minute videos each with a subtitle cue every 3 s and a few on-screen text spans; searched with the pictures
/// alone, the pictures + subtitles + on-screen text (words and meaning, and words only), the text alone, and the FTS5
/// lexical stage, the semantic stage and the query's sentence encoding on their own.
/// </summary>
internal static class ChannelsQuery
{
    private const double VideoSeconds = 300;

    public static async Task RunAsync(EmbeddingModel model, bool tesseract, bool quick, BenchReport report)
    {
        var synthetic = quick ? 1_000 : 4_000;
        var queries = ChannelsText.Queries(quick ? 40 : 200);
        TextChannel[] channels = tesseract ? [TextChannel.Subtitles, TextChannel.Ocr] : [TextChannel.Subtitles];
        var library = await OpenAsync(model, synthetic, channels, report);
        report.Context("query_library", $"{library.ListVideos().Count:N0} videos ({synthetic:N0} synthetic of {VideoSeconds / 60:0} min + the shared ones), "
            + $"{library.CoarseVectorCount():N0} coarse vectors, catalog {new FileInfo(library.CatalogPath).Length / 1e6:0} MB");

        EnsureSentenceVectors(library, report);
        var textChannels = channels.Select(SearchChannels.Of).ToHashSet();
        var names = string.Join('+', textChannels.Select(SearchChannels.Name));
        await LatencyAsync(report, "visual only", library, model, [SearchChannel.Visual], queries);
        await LatencyAsync(report, $"visual+{names} (words and meaning)", library, model, [SearchChannel.Visual, .. textChannels], queries);
        await LatencyAsync(report, $"visual+{names} (words only)", library, model, [SearchChannel.Visual, .. textChannels], queries, semantic: false);
        await LatencyAsync(report, names + " only (words and meaning)", library, model, textChannels, queries);

        var table = library.ReadSentenceVectors();
        using var encoder = new SentenceEncoder(SentenceModel.Default);
        var vectors = queries.Select(encoder.Encode).ToList();
        var semantic = vectors.Select(v => BenchMachine.Seconds(() => table.Nearest(v, channels, (float)ChannelFusion.Default.SemanticFloor, 500)) * 1000).Order().ToList();
        report.Add("semantic stage alone (exact scan of the sentence vectors, 500 nearest): p50", Percentile(semantic, 0.5), "ms",
            $"{table.Count:N0} vectors of {table.Dimension}, {table.Bytes / 1e6:0} MB in memory (float16)");
        var encoding = queries.Select(q => BenchMachine.Seconds(() => encoder.Encode(q)) * 1000).Order().ToList();
        report.Add("sentence encoding of a query (all-MiniLM-L6-v2, 1 thread): p50", Percentile(encoding, 0.5), "ms");

        var matches = 0;
        var lexical = queries.Select(q => BenchMachine.Seconds(() => matches += library.SearchTimedText(TimedTextQuery.Parse(q), channels, new SearchOptions().TextMatches).Count) * 1000).Order().ToList();
        report.Add("FTS5 lexical stage alone (SearchTimedText, 500 matches): p50", Percentile(lexical, 0.5), "ms", $"{queries.Count} queries, {matches / queries.Count} matches each on average");
        report.Add("FTS5 lexical stage alone: p95", Percentile(lexical, 0.95), "ms");
    }

    private static async Task LatencyAsync(BenchReport report, string name, VideoLibrary library, EmbeddingModel model, HashSet<SearchChannel> channels, List<string> queries,
        bool semantic = true)
    {
        using var searcher = new LibrarySearcher(library, model, new SearchOptions { Channels = channels, SemanticText = semantic });
        await searcher.SearchAsync(queries[0]); // loads the tables
        var totals = new List<double>();
        var timings = new List<SearchTimings>();
        foreach (var query in queries)
        {
            var watch = Stopwatch.StartNew();
            timings.Add((await searcher.SearchAsync(query)).Timings);
            totals.Add(watch.Elapsed.TotalMilliseconds);
        }
        totals.Sort();
        report.Add($"query latency, channels {name}: p50", Percentile(totals, 0.5), "ms", $"{queries.Count} queries (text encoding included)");
        report.Add($"query latency, channels {name}: p95", Percentile(totals, 0.95), "ms");
        report.Add("  p50 of text encoding / lexical + coarse / fine / grounding", BenchMachine.Median(timings.Select(t => t.EncodeText)), "ms",
            $"/ {BenchMachine.Median(timings.Select(t => t.Coarse)):0.0} / {BenchMachine.Median(timings.Select(t => t.Fine)):0.0} / {BenchMachine.Median(timings.Select(t => t.Grounding)):0.0} ms");
    }

    /// <summary>
    /// Gives every entry its sentence vector. The synthetic text comes from a small vocabulary (under 10,000 distinct
    /// sentences), so each distinct text is encoded once and its vector stored for all its entries; the encoding rate
    /// measured here is the real one.
    /// </summary>
    private static void EnsureSentenceVectors(VideoLibrary library, BenchReport report)
    {
        using var encoder = new SentenceEncoder(SentenceModel.Default);
        var known = new Dictionary<string, float[]>();
        var encoded = 0;
        var encoding = TimeSpan.Zero;
        while (library.EntriesWithoutSentenceVectors(50_000) is { Count: > 0 } entries)
        {
            var unseen = entries.Select(e => e.Text).Where(t => !known.ContainsKey(t)).Distinct().ToList();
            var watch = Stopwatch.StartNew();
            var rows = encoder.Encode(unseen, CancellationToken.None);
            encoding += watch.Elapsed;
            encoded += unseen.Count;
            for (var i = 0; i < unseen.Count; i++)
                known[unseen[i]] = rows.AsSpan(i * SentenceModel.Dimension, SentenceModel.Dimension).ToArray();
            var vectors = new float[entries.Count * SentenceModel.Dimension];
            for (var i = 0; i < entries.Count; i++)
                known[entries[i].Text].CopyTo(vectors, i * SentenceModel.Dimension);
            library.StoreSentenceVectors([.. entries.Select(e => e.EntryId)], vectors, encoder.Model.Identity);
        }
        if (encoded > 0)
        {
            report.Add("sentence encoding of timed text (all-MiniLM-L6-v2, 1 thread, batches of 32)", encoded / encoding.TotalSeconds, "entries/s",
                $"{encoded:N0} distinct synthetic sentences; at one cue per 3 s: {1200 / (encoded / encoding.TotalSeconds):0.0} s per video hour");
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];

    /// <summary>The query library, built once: the shared videos ingested with <paramref name="channels"/>, then the synthetic videos.</summary>
    private static async Task<VideoLibrary> OpenAsync(EmbeddingModel model, int synthetic, TextChannel[] channels, BenchReport report)
    {
        var shared = ChannelsIngest.SharedVideos();
        var directory = Path.Combine(ChannelsInputs.WorkFolder, $"channels-query-{synthetic}-{string.Join('+', channels).ToLowerInvariant()}-{model.Identity.Fingerprint}");
        if (Directory.Exists(directory))
            return VideoLibrary.Open(directory);
        // Built under another name and moved when complete: a library opened in this process is never deleted under
        // its pooled SQLite connections, and an interrupted build is never taken for a finished one.
        var building = directory + ".building";
        Console.WriteLine($"# building the query library in {directory} (once)...");
        var watch = Stopwatch.StartNew();
        await ChannelsIngest.IngestAsync(model, "query", shared, channels, building);
        var library = VideoLibrary.Open(building);
        LibraryBench.GenerateLibrary(library, model.Identity, 0, synthetic, (video, random) => video with
        {
            TextChannels = channels,
            TimedText = TimedText(random, channels),
        });
        await CoarseIndex.UpdateAsync(library);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Move(building, directory);
        report.Add("query library build (ingest of the shared videos + synthetic catalog writes)", watch.Elapsed.TotalSeconds, "s", "not part of query latency");
        return VideoLibrary.Open(directory);
    }

    /// <summary>A cue every 3 s (100 per five minutes) and, with on-screen text, a sign every 30 s.</summary>
    private static List<TimedTextEntry> TimedText(Random random, TextChannel[] channels)
    {
        var entries = new List<TimedTextEntry>();
        for (var t = 0.0; t < VideoSeconds; t += 3)
            entries.Add(new TimedTextEntry(TextChannel.Subtitles, "en", t, t + 2.8, ChannelsText.Sentence(random), 1, "video.srt"));
        if (channels.Contains(TextChannel.Ocr))
        {
            for (var t = 0.0; t < VideoSeconds; t += 30)
                entries.Add(new TimedTextEntry(TextChannel.Ocr, null, t, t + 8, ChannelsText.Sign(random), 0.9, "ocr"));
        }
        return entries;
    }
}
