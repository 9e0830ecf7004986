using System.Globalization;
using System.Text.Json;
using Vireo.Cli;
using Vireo.Grounding;
using Vireo.Relocalization;
using Vireo.Tests.Support;
using Vireo.Temporal;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Relocalization;

/// <summary>
/// Re-localization end to end through the library API: every query (a segment of a source video, by --start/--end)
/// must be found in the host it was inserted into, transformed, with IoU ≥ 0.7 in at least 90% of the 30 cases, and
/// no host that does not contain it may report a match above the threshold.
/// </summary>
public class FindClipEndToEndTests(RelocalizationLibrary fixture) : IClassFixture<RelocalizationLibrary>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Finds_transformed_segments_inserted_into_other_videos_and_nothing_elsewhere()
    {
        var library = fixture.Open();
        using var model = fixture.LoadModel();
        using var relocalizer = new Relocalizer(library, model, new RelocalizationOptions { MaxRefinements = 4 });
        var cases = fixture.Cases;
        Assert.True(cases.Count >= 30, $"{cases.Count} cases");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var results = new RelocalizationResult[cases.Count];
        using var gate = new SemaphoreSlim(2);
        await Task.WhenAll(cases.Select(async (c, i) =>
        {
            await gate.WaitAsync(Ct);
            try
            {
                results[i] = await relocalizer.FindAsync(c.Source, new TemporalWindow(c.SourceStart, c.SourceEnd), Ct);
            }
            finally
            {
                gate.Release();
            }
        }));

        var elapsed = watch.Elapsed.TotalSeconds;
        var ious = new List<double>();
        var lines = new List<string>();
        var falseMatches = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var truth = new TemporalWindow(c.Start, c.End);
            var found = results[i].Matches.Where(m => m.Path == c.Host).OrderByDescending(m => m.Window.IoU(truth)).FirstOrDefault();
            var iou = found?.Window.IoU(truth) ?? 0;
            ious.Add(iou);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(c.Host)} [{c.Start:0.0}, {c.End:0.0}] {c.Transform}: {(found is null ? "not found" : $"[{found.Start:0.0}, {found.End:0.0}] IoU {iou:0.00} score {found.Score:0.000} m {found.MeanSimilarity:0.000} b {found.Background:0.000} speed {found.Speed:0.00}")}"));
            foreach (var other in results[i].Matches.Where(m => m.Path != c.Host))
                falseMatches.Add(string.Create(CultureInfo.InvariantCulture, $"query {i} in {Path.GetFileName(other.Path)} [{other.Start:0.0}, {other.End:0.0}] score {other.Score:0.000}"));
        }
        var output = TestContext.Current.TestOutputHelper;
        foreach (var line in lines)
            output?.WriteLine(line);
        var hits = ious.Count(iou => iou >= 0.7);
        ious.Sort();
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"IoU ≥ 0.7: {hits}/{cases.Count}; IoU min {ious[0]:0.00}, median {ious[ious.Count / 2]:0.00}, max {ious[^1]:0.00}; false matches {falseMatches.Count}; {elapsed:0.0} s for the queries, {results.Sum(r => r.Candidates)} candidates"));
        Assert.True(hits >= 0.9 * cases.Count, $"IoU ≥ 0.7 in {hits}/{cases.Count}:\n{string.Join('\n', lines)}");
        Assert.True(falseMatches.Count == 0, string.Join('\n', falseMatches));
    }

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Vireo_find_clip_prints_the_matches_per_video()
    {
        var c = fixture.Cases[4];
        var (code, output, error) = await CliRunner.RunAsync("find-clip", c.Source, "--start", Seconds(c.SourceStart), "--end", Seconds(c.SourceEnd),
            "--library", fixture.LibraryDirectory, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(c.SourceStart, root.GetProperty("query").GetProperty("start").GetDouble(), 3);
        Assert.Equal(c.SourceEnd, root.GetProperty("query").GetProperty("end").GetDouble(), 3);
        var result = Assert.Single(root.GetProperty("results").EnumerateArray());
        Assert.Equal(c.Host, result.GetProperty("vid").GetString());
        var window = result.GetProperty("pred_relevant_windows")[0];
        var iou = new TemporalWindow(window[0].GetDouble(), window[1].GetDouble()).IoU(new TemporalWindow(c.Start, c.End));
        Assert.True(iou >= 0.7, $"{window} vs [{c.Start}, {c.End}]");
        Assert.True(window[2].GetDouble() >= root.GetProperty("min_score").GetDouble());
        Assert.True(result.GetProperty("matches")[0].GetProperty("refined").GetBoolean());

        var (textCode, text, textError) = await CliRunner.RunAsync("find-clip", c.Source, "--start", Seconds(c.SourceStart), "--end", Seconds(c.SourceEnd),
            "--library", fixture.LibraryDirectory);
        Assert.True(textCode == 0, textError);
        Assert.Contains(Path.GetFileName(c.Host), text, StringComparison.Ordinal);
        Assert.Contains("speed", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vireo_find_clip_reports_bad_input_clearly()
    {
        var c = fixture.Cases[0];
        var library = fixture.LibraryDirectory;

        var missing = await CliRunner.RunAsync("find-clip", Path.Combine(fixture.Folder, "nothing.mp4"), "--library", library);
        Assert.Equal(ExitCodes.InputError, missing.Code);
        Assert.Contains("nothing.mp4", missing.Error, StringComparison.Ordinal);

        var inverted = await CliRunner.RunAsync("find-clip", c.Source, "--start", "12", "--end", "12", "--library", library);
        Assert.Equal(ExitCodes.Usage, inverted.Code);
        Assert.Contains("--start (12) must be before --end (12)", inverted.Error, StringComparison.Ordinal);

        var beyond = await CliRunner.RunAsync("find-clip", c.Source, "--start", "10", "--end", "5000", "--library", library, "--json");
        Assert.Equal(ExitCodes.Usage, beyond.Code);
        using (var error = JsonDocument.Parse(beyond.Error))
            Assert.Contains("is not inside the video", error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);

        var tiny = (await TestModels.TinyHuggingFaceAsync()).Root;
        var otherModel = await CliRunner.RunAsync("find-clip", c.Source, "--library", library, "--model", tiny);
        Assert.Equal(ExitCodes.InputError, otherModel.Code);
        Assert.Contains("model", otherModel.Error, StringComparison.OrdinalIgnoreCase);

        var noLibrary = await CliRunner.RunAsync("find-clip", c.Source, "--library", Path.Combine(fixture.Folder, "no-library"));
        Assert.Equal(ExitCodes.InputError, noLibrary.Code);
    }

    [Fact]
    public async Task A_query_cut_from_a_library_video_does_not_find_itself_unless_asked()
    {
        // The inserted segment itself, as it is in its host: found there (identical) only when the query's own span is allowed.
        var c = fixture.Cases[7];
        var span = new TemporalWindow(c.Start, c.End);
        var library = fixture.Open();
        using var model = fixture.LoadModel();

        using var excluding = new Relocalizer(library, model);
        var excluded = await excluding.FindAsync(c.Host, span, Ct);
        Assert.DoesNotContain(excluded.Matches, m => m.Path == c.Host && m.Window.IoU(span) >= 0.5);

        using var including = new Relocalizer(library, model, new RelocalizationOptions { ExcludeQuerySpan = false });
        var included = await including.FindAsync(c.Host, span, Ct);
        var itself = Assert.Single(included.Matches, m => m.Path == c.Host);
        Assert.True(itself.Window.IoU(span) >= 0.9, $"{itself.Window} vs {span}");
        Assert.True(itself.Score >= 0.95, $"score {itself.Score}");
        Assert.Equal(1.0, itself.Speed, 1);
    }
}
