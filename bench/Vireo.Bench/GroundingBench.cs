using Vireo.Grounding;
using Vireo.Grounding.Events;
using Vireo.Media;
using Vireo.Vectors;
using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Bench;

/// <summary>
/// Zero-shot grounding of one query in a 150-s, 1-h and 10-h video (2-s clips, 512-d CLIP-sized embeddings, a planted
/// moment in random clips): event segmentation (once per video, index time) and the per-query cost with the default
/// options (all four proposal generators, Welch scoring, refinement, explain-away, 10 moments), with the memory each
/// allocates.
/// </summary>
internal sealed class GroundingBench : IBenchSuite
{
    private const int Dimension = 512;

    public string Name => "grounding";

    public string Description => "zero-shot grounding: ms and memory per query in 150 s / 1 h / 10 h videos; event segmentation per video";

    public Task RunAsync(string[] args, BenchReport report)
    {
        var quick = args.Contains("--quick");
        report.Context("setup", $"{Dimension}-d unit embeddings, 2-s clips, default GroundingOptions, one thread");
        var grounder = new ZeroShotGrounder();
        foreach (var (label, seconds) in new[] { ("150 s", 150.0), ("1 h", 3600.0), ("10 h", 36_000.0) })
        {
            var (clips, query) = Synthetic(seconds);
            var grid = new ClipGrid(seconds, 2);
            var embeddings = (double)clips.Count * Dimension * sizeof(float) / (1 << 20);

            var (segmentMs, segmentBytes) = Measure(quick ? 1 : 3, () => EventSegmenter.Segment(clips));
            var events = EventSegmenter.Segment(clips);
            report.Add($"{label} ({clips.Count} clips): event segmentation", segmentMs, "ms", $"{events.Events.Count} events, {Mb(segmentBytes)} allocated");

            var video = new GroundingVideo(clips, grid, events: events);
            var repeats = quick ? 3 : seconds > 10_000 ? 5 : 20;
            var (queryMs, queryBytes) = Measure(repeats, () => grounder.Ground(video, query));
            var result = grounder.Ground(video, query);
            report.Add($"{label} ({clips.Count} clips): grounding per query", queryMs, "ms",
                $"{result.ProposalCount} proposals, {Mb(queryBytes)} allocated; embeddings {embeddings:0.0} MB");
            var (curveMs, _) = Measure(repeats, () => SimilarityProfile.Compute(video, query));
            report.Add($"{label}: of which the similarity curve", curveMs, "ms");
        }
        return Task.CompletedTask;
    }

    private static string Mb(long bytes) => $"{bytes / (double)(1 << 20):0.0} MB";

    /// <summary>Median milliseconds (after half a second of warm-up) and the bytes one run allocates.</summary>
    private static (double Ms, long Bytes) Measure<T>(int repeats, Func<T> run) =>
        (BenchMachine.MedianMs(repeats, run, warmupSeconds: 0.5), BenchMachine.AllocatedBytes(run));

    /// <summary>Shots of 3-15 clips (a shared direction + a scene direction + clip noise) and a 20-clip moment along the query.</summary>
    private static (EmbeddingMatrix Clips, float[] Query) Synthetic(double seconds)
    {
        var random = new Random(42);
        var grid = new ClipGrid(seconds, 2);
        var clips = new EmbeddingMatrix(grid.Count, Dimension);
        var query = Unit(random);
        var context = Unit(random);
        var scene = Unit(random);
        var moment = random.Next(0, grid.Count - 20);
        for (int i = 0, shotEnd = 0; i < grid.Count; i++)
        {
            if (i == shotEnd)
            {
                scene = Unit(random);
                shotEnd += random.Next(3, 16);
            }
            var row = clips[i];
            var signal = i >= moment && i < moment + 20 ? 0.3f : 0;
            for (var d = 0; d < Dimension; d++)
                row[d] = context[d] + scene[d] + 0.5f * (float)(random.NextDouble() - 0.5) * 0.22f + signal * query[d];
            VectorMath.NormalizeInPlace(row);
        }
        return (clips, query);
    }

    private static float[] Unit(Random random)
    {
        var v = new float[Dimension];
        for (var d = 0; d < v.Length; d++)
            v[d] = (float)(random.NextDouble() - 0.5);
        VectorMath.NormalizeInPlace(v);
        return v;
    }
}
