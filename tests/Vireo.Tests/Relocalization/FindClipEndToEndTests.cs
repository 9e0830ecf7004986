using System.Globalization;
using Vireo.Grounding;
using Vireo.Relocalization;

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
            $"IoU ≥ 0.7: {hits}/{cases.Count}; IoU min {ious[0]:0.00}, median {ious[ious.Count / 2]:0.00}, max {ious[^1]:0.00}; false matches {falseMatches.Count}; {elapsed:0.0} s for the queries, {results.Sum(r => r.Timings.Candidates)} candidates"));
        Assert.True(hits >= 0.9 * cases.Count, $"IoU ≥ 0.7 in {hits}/{cases.Count}:\n{string.Join('\n', lines)}");
        Assert.True(falseMatches.Count == 0, string.Join('\n', falseMatches));
    }
}
