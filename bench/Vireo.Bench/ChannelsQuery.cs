using System.Diagnostics;
using Vireo.Library;
using Vireo.Models;
using Vireo.Retrieval;
using Vireo.TimedText;

namespace Vireo.Bench;

/// <summary>
/// Query latency with timed text: the shared videos indexed with subtitles (+ on-screen text), plus synthetic
/// five-minute videos each with a subtitle cue every 3 s and a few on-screen text spans; searched with the pictures
/// alone, the pictures + subtitles + on-screen text, the text alone, and the FTS5 lexical stage on its own.
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

        var textChannels = channels.Select(SearchChannels.Of).ToHashSet();
        await LatencyAsync(report, "visual only", library, model, [SearchChannel.Visual], queries);
        await LatencyAsync(report, "visual+" + string.Join('+', textChannels.Select(SearchChannels.Name)), library, model, [SearchChannel.Visual, .. textChannels], queries);
        await LatencyAsync(report, string.Join('+', textChannels.Select(SearchChannels.Name)) + " only", library, model, textChannels, queries);

        var matches = 0;
        var lexical = queries.Select(q => BenchMachine.Seconds(() => matches += library.SearchTimedText(TimedTextQuery.Parse(q), channels, new SearchOptions().TextMatches).Count) * 1000).Order().ToList();
        report.Add("FTS5 lexical stage alone (SearchTimedText, 500 matches): p50", Percentile(lexical, 0.5), "ms", $"{queries.Count} queries, {matches / queries.Count} matches each on average");
        report.Add("FTS5 lexical stage alone: p95", Percentile(lexical, 0.95), "ms");
    }

    private static async Task LatencyAsync(BenchReport report, string name, VideoLibrary library, EmbeddingModel model, HashSet<SearchChannel> channels, List<string> queries)
    {
        using var searcher = new LibrarySearcher(library, model, new SearchOptions { Channels = channels });
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
