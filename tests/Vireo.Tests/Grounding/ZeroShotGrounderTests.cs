using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Research.Features;
using Vireo.Grounding;
using Vireo.Grounding.Events;
using Vireo.Grounding.Proposals;
using Vireo.Grounding.Scoring;
using Vireo.Media;
using Vireo.Vectors;
using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Tests.Grounding;

/// <summary>Zero-shot grounding on synthetic clip embeddings whose answer is known (<see cref="SyntheticVideos"/>).</summary>
public class ZeroShotGrounderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ZeroShotGrounder Grounder = new();

    private static double IoU(SyntheticVideos.Planted planted, ClipSpan truth, GroundedMoment moment) =>
        planted.Video.ToWindow(truth).IoU(moment.Window);

    private static void AssertWellFormed(GroundingResult result, GroundingVideo video, GroundingOptions options)
    {
        Assert.InRange(result.Moments.Count, 1, options.TopK);
        Assert.Equal(video.ClipCount, result.Saliency.Length);
        for (var i = 0; i < result.Moments.Count; i++)
        {
            var m = result.Moments[i];
            Assert.InRange(m.Start, 0, m.End);
            Assert.InRange(m.End, m.Start, video.Grid.Duration);
            Assert.Equal(video.ToWindow(m.Clips), m.Window);
            Assert.True(m.End - m.Start <= options.MaxSpanSeconds + 1e-9);
            if (i > 0)
                Assert.True(result.Moments[i - 1].Score >= m.Score, "moments are sorted by score");
            for (var j = 0; j < i; j++)
                Assert.True(m.Window.IoU(result.Moments[j].Window) <= options.NmsThreshold, $"{m.Window} overlaps {result.Moments[j].Window}");
        }
    }

    [Fact]
    public void One_planted_segment_is_found_at_IoU_half_in_nine_cases_of_ten()
    {
        int hits5 = 0, hits7 = 0;
        const int cases = 200;
        for (var seed = 0; seed < cases; seed++)
        {
            var random = new Random(seed);
            var truth = SyntheticVideos.RandomSegments(random, 75, [random.Next(3, 31)]); // 6 to 60 s anywhere in 150 s
            var planted = SyntheticVideos.Create(seed, 150, truth);

            var result = Grounder.Ground(planted.Video, planted.Query, Ct);

            AssertWellFormed(result, planted.Video, Grounder.Options);
            var iou = IoU(planted, truth[0], result.Moments[0]);
            hits5 += iou >= 0.5 ? 1 : 0;
            hits7 += iou >= 0.7 ? 1 : 0;
        }
        Assert.True(hits5 >= 0.9 * cases, $"R1@0.5 = {hits5}/{cases}"); // measured 197/200
        Assert.True(hits7 >= 0.85 * cases, $"R1@0.7 = {hits7}/{cases}"); // measured 194/200
    }

    [Fact]
    public void Two_planted_segments_give_two_moments()
    {
        int found = 0, top1 = 0;
        const int cases = 200;
        for (var seed = 0; seed < cases; seed++)
        {
            var random = new Random(1000 + seed);
            var truth = SyntheticVideos.RandomSegments(random, 75, [random.Next(3, 16), random.Next(3, 16)]);
            var planted = SyntheticVideos.Create(1000 + seed, 150, truth);

            var result = Grounder.Ground(planted.Video, planted.Query, Ct);

            AssertWellFormed(result, planted.Video, Grounder.Options);
            found += truth.Count(t => result.Moments.Take(3).Any(m => IoU(planted, t, m) >= 0.5));
            top1 += truth.Any(t => IoU(planted, t, result.Moments[0]) >= 0.5) ? 1 : 0;
        }
        Assert.True(found >= 0.9 * 2 * cases, $"segments among the first 3 moments: {found}/{2 * cases}"); // measured 365/400
        Assert.True(top1 >= 0.9 * cases, $"first moment on a segment: {top1}/{cases}"); // measured 183/200
    }

    [Fact]
    public void Several_segments_of_an_hour_long_video_are_all_found()
    {
        int found = 0, total = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            var random = new Random(2000 + seed);
            var truth = SyntheticVideos.RandomSegments(random, 1800, [.. Enumerable.Range(0, 4).Select(_ => random.Next(3, 40))], gap: 20);
            var planted = SyntheticVideos.Create(2000 + seed, 3600, truth);

            var result = Grounder.Ground(planted.Video, planted.Query, Ct);

            AssertWellFormed(result, planted.Video, Grounder.Options);
            found += truth.Count(t => result.Moments.Take(6).Any(m => IoU(planted, t, m) >= 0.5));
            total += truth.Length;
        }
        Assert.True(found >= 0.9 * total, $"{found}/{total} segments among the first 6 moments");
    }

    [Fact]
    public void Ten_hour_videos_have_no_length_cap()
    {
        var truth = new ClipSpan[] { new(12_345, 12_360) };
        var planted = SyntheticVideos.Create(7, 36_000, truth, signal: 0.5, dimension: 128);

        var result = Grounder.Ground(planted.Video, planted.Query, Ct);

        Assert.Equal(18_000, result.Saliency.Length);
        AssertWellFormed(result, planted.Video, Grounder.Options);
        Assert.True(IoU(planted, truth[0], result.Moments[0]) >= 0.7, $"{result.Moments[0].Window}");
        Assert.InRange(result.ProposalCount, 18_000, 40 * 18_000);
    }

    [Fact]
    public void A_moment_at_the_end_stops_at_the_partial_last_clip()
    {
        // 151 s: 76 clips, the last one [150, 151].
        var truth = new ClipSpan[] { new(66, 76) };
        var planted = SyntheticVideos.Create(11, 151, truth, signal: 0.5);

        var result = Grounder.Ground(planted.Video, planted.Query, Ct);

        Assert.Equal(76, result.Saliency.Length);
        Assert.Equal(new TemporalWindow(132, 151), result.Moments[0].Window);
        Assert.Equal(new ClipSpan(66, 76), result.Moments[0].Clips);
    }

    [Fact]
    public void A_video_of_one_partial_clip_has_one_moment()
    {
        var planted = SyntheticVideos.Create(12, 1.2, [new ClipSpan(0, 1)]);

        var result = Grounder.Ground(planted.Video, planted.Query, Ct);

        var moment = Assert.Single(result.Moments);
        Assert.Equal(new TemporalWindow(0, 1.2), moment.Window);
        Assert.Equal(0, moment.Score); // the whole video has no outside to contrast with
        Assert.Single(EventSegmenter.Segment(planted.Video.Clips, cancellationToken: Ct).Events);
    }

    [Fact]
    public void Strong_moments_are_explained_away_before_the_next_is_chosen()
    {
        // Background ~0.10, a strong moment at clips 10-25 (+0.30) and a weak one at 36-41 (+0.12). Without explaining
        // away, the strong moment lifts the weak one's "outside" (its contrast is 0.12 − 0.30·16/54 ≈ 0.03) while the
        // span [10, 42) that holds both (IoU 0.5 with the strong one, so NMS keeps it) has a mean 0.17 above background.
        var random = new Random(5);
        var curve = new float[60];
        for (var i = 0; i < curve.Length; i++)
            curve[i] = (float)(0.10 + 0.01 * (random.NextDouble() - 0.5) + (i is >= 10 and < 26 ? 0.30 : 0) + (i is >= 36 and < 42 ? 0.12 : 0));
        var video = new GroundingVideo(SyntheticVideos.Scenes(5, [60]), new ClipGrid(120, 2));
        var profile = SimilarityProfile.FromSimilarities(curve, video.Grid);
        var options = GroundingOptions.Default with { TopK = 2, Scorer = new InsideOutsideContrast { Statistic = ContrastStatistic.ZScore } };

        var explained = new ZeroShotGrounder(options).Ground(video, profile, Ct);
        var plain = new ZeroShotGrounder(options with { ExplainAway = false }).Ground(video, profile, Ct);

        Assert.Equal([new(10, 26), new(36, 42)], explained.Moments.Select(m => m.Clips));
        Assert.Equal(new ClipSpan(10, 26), plain.Moments[0].Clips);
        Assert.Equal(10, plain.Moments[1].Clips.Start); // a span holding both moments
        Assert.True(plain.Moments[1].Clips.End >= 42, $"{plain.Moments[1].Clips}");
    }

    [Fact]
    public void Nms_threshold_and_top_k_shape_the_answer()
    {
        var planted = SyntheticVideos.Create(3, 150, [new ClipSpan(20, 35)]);
        var loose = GroundingOptions.Default with { NmsThreshold = 0.8, TopK = 4 };
        var disjoint = GroundingOptions.Default with { NmsThreshold = 0, TopK = 30 };

        var few = new ZeroShotGrounder(loose).Ground(planted.Video, planted.Query, Ct);
        var many = new ZeroShotGrounder(disjoint).Ground(planted.Video, planted.Query, Ct);

        AssertWellFormed(few, planted.Video, loose);
        AssertWellFormed(many, planted.Video, disjoint);
        Assert.Equal(4, few.Moments.Count);
        Assert.InRange(many.Moments.Count, 5, 30);
        var covered = many.Moments.Sum(m => m.Clips.Length);
        Assert.True(covered <= 75, "disjoint moments cover each clip once at most");
        Assert.All(many.Moments.SelectMany((a, i) => many.Moments.Skip(i + 1).Select(b => a.Window.Intersection(b.Window))), overlap => Assert.Equal(0, overlap));
    }

    [Fact]
    public void Every_generator_alone_finds_the_planted_segment()
    {
        var truth = new ClipSpan[] { new(40, 52) };
        var planted = SyntheticVideos.Create(21, 150, truth, signal: 0.4);
        foreach (IProposalGenerator generator in new IProposalGenerator[] { new SlidingWindowProposals(), new TemporalMapProposals(), new EventProposals(), new ShotBoundaryProposals() })
        {
            var result = new ZeroShotGrounder(GroundingOptions.Default with { Generators = [generator] }).Ground(planted.Video, planted.Query, Ct);

            Assert.True(IoU(planted, truth[0], result.Moments[0]) >= 0.7, $"{generator.Name}: {result.Moments[0].Window}");
        }
    }

    [Fact]
    public void Refinement_moves_coarse_windows_onto_the_segment()
    {
        var truth = new ClipSpan[] { new(13, 26) };
        var planted = SyntheticVideos.Create(8, 150, truth, signal: 0.5);
        var coarse = GroundingOptions.Default with { Generators = [new SlidingWindowProposals { WindowSeconds = [32], Overlap = 0 }] }; // 16-clip windows at 0, 16, ...

        var refined = new ZeroShotGrounder(coarse).Ground(planted.Video, planted.Query, Ct);
        var unrefined = new ZeroShotGrounder(coarse with { RefineBoundaries = false }).Ground(planted.Video, planted.Query, Ct);

        Assert.Equal(0, unrefined.Moments[0].Clips.Start % 16);
        Assert.Equal(new ClipSpan(13, 26), refined.Moments[0].Clips);
        Assert.True(refined.Moments[0].Score > unrefined.Moments[0].Score);
    }

    [Fact]
    public void The_prediction_carries_moments_and_the_raw_saliency_curve()
    {
        var planted = SyntheticVideos.Create(4, 31, [new ClipSpan(5, 9)]);
        var result = Grounder.Ground(planted.Video, planted.Query, Ct);

        var prediction = result.ToPrediction("q1", "v1", "a sentence");

        Assert.Equal(result.Moments.Select(m => new ScoredWindow(m.Start, m.End, m.Score)), prediction.Windows);
        Assert.Equal(16, prediction.SaliencyScores!.Count);
        for (var i = 0; i < 16; i++)
            Assert.Equal(System.Numerics.Tensors.TensorPrimitives.Dot(planted.Video.Clips[i], planted.Query), prediction.SaliencyScores[i], 6);
        var normalized = result.NormalizedSaliency();
        Assert.Equal(0, normalized.Min());
        Assert.Equal(1, normalized.Max());
        Assert.Equal(Grounder.Ground(planted.Video, planted.Query, Ct).Moments, result.Moments); // deterministic
        Assert.Contains("\"pred_relevant_windows\":[[", PredictionFile.Serialize(prediction), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_videos_and_queries_are_rejected_with_the_reason()
    {
        var clips = SyntheticVideos.Scenes(1, [10], dimension: 8);
        var query = SyntheticVideos.RandomUnit(new Random(1), 8);
        var video = new GroundingVideo(clips, new ClipGrid(20, 2));

        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new GroundingVideo(new EmbeddingMatrix(0, 8), new ClipGrid(0, 2))).Message, StringComparison.Ordinal);
        Assert.Contains("do not match", Assert.Throws<ArgumentException>(() => new GroundingVideo(clips, new ClipGrid(30, 2))).Message, StringComparison.Ordinal);
        Assert.Contains("dimensions", Assert.Throws<ArgumentException>(() => Grounder.Ground(video, new float[7], Ct)).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Grounder.Ground(video, [float.NaN, 0, 0, 0, 0, 0, 0, 0], Ct)).Message, StringComparison.Ordinal);
        Assert.Contains("unit length", Assert.Throws<ArgumentException>(() => Grounder.Ground(video, [2, 0, 0, 0, 0, 0, 0, 0], Ct)).Message, StringComparison.Ordinal);
        var broken = SyntheticVideos.Scenes(1, [10], dimension: 8);
        broken[3][2] = float.NaN;
        Assert.Contains("clip 3", Assert.Throws<ArgumentException>(() => new GroundingVideo(broken, new ClipGrid(20, 2))).Message, StringComparison.Ordinal);
        var unnormalised = SyntheticVideos.Scenes(1, [10], dimension: 8);
        unnormalised[4][0] += 1;
        Assert.Contains("clip 4", Assert.Throws<ArgumentException>(() => new GroundingVideo(unnormalised, new ClipGrid(20, 2))).Message, StringComparison.Ordinal);
        Assert.Throws<OperationCanceledException>(() => Grounder.Ground(video, query, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Bad_options_and_generators_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZeroShotGrounder(GroundingOptions.Default with { TopK = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZeroShotGrounder(GroundingOptions.Default with { NmsThreshold = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZeroShotGrounder(GroundingOptions.Default with { MaxSpanSeconds = 0 }));
        Assert.Throws<ArgumentException>(() => new ZeroShotGrounder(GroundingOptions.Default with { Generators = [] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZeroShotGrounder(GroundingOptions.Default with { CandidatePool = 5 }));
        var planted = SyntheticVideos.Create(1, 20, [new ClipSpan(2, 4)]);
        var outOfRange = new ZeroShotGrounder(GroundingOptions.Default with { Generators = [new FixedProposals(new ClipSpan(5, 11))] });
        var error = Assert.Throws<InvalidOperationException>(() => outOfRange.Ground(planted.Video, planted.Query, Ct));
        Assert.Contains("'fixed'", error.Message, StringComparison.Ordinal);
    }

    private sealed class FixedProposals(params ClipSpan[] spans) : IProposalGenerator
    {
        public string Name => "fixed";

        public void Generate(ProposalContext context, List<ClipSpan> proposals) => proposals.AddRange(spans);
    }

    [Fact]
    public async Task Precomputed_features_are_normalised_and_fitted_to_the_duration()
    {
        var planted = SyntheticVideos.Create(9, 40, [new ClipSpan(6, 12)]);
        var scaled = planted.Video.Clips.AsSpan().ToArray();
        System.Numerics.Tensors.TensorPrimitives.Multiply(scaled, 10f, scaled);
        var query = new GroundingQuery("7", "v", 40, "a sentence", [new TemporalWindow(12, 24)]);
        var text = new FeatureArray([.. planted.Query.Select(x => 3 * x)], [1, planted.Query.Length]);

        var prediction = await new ZeroShotFeatureGrounder().GroundAsync(new GroundingInput(query, new FeatureArray(scaled, [20, SyntheticVideos.Dimension]), 2, text), Ct);
        var direct = Grounder.Ground(planted.Video, planted.Query, Ct);
        var longer = await new ZeroShotFeatureGrounder().GroundAsync(new GroundingInput(query with { Duration = 36 }, new FeatureArray(scaled, [20, SyntheticVideos.Dimension]), 2, text), Ct);
        var shorter = await new ZeroShotFeatureGrounder().GroundAsync(new GroundingInput(query with { Duration = 50 }, new FeatureArray(scaled, [20, SyntheticVideos.Dimension]), 2, text), Ct);

        Assert.Equal(direct.Moments.Select(m => m.Start), prediction.Windows.Select(w => w.Start));
        Assert.Equal(direct.Moments.Select(m => m.End), prediction.Windows.Select(w => w.End));
        Assert.Equal(18, longer.SaliencyScores!.Count); // features past the 36-s duration are ignored
        Assert.Equal(20, shorter.SaliencyScores!.Count); // a 50-s video with 20 featured clips ends at 40 s
        Assert.All(shorter.Windows, w => Assert.True(w.End <= 40));
        var tokens = new FeatureArray(new float[13 * SyntheticVideos.Dimension], [13, SyntheticVideos.Dimension]);
        var error = await Assert.ThrowsAsync<Vireo.Errors.InputException>(async () =>
            await new ZeroShotFeatureGrounder().GroundAsync(new GroundingInput(query, new FeatureArray(scaled, [20, SyntheticVideos.Dimension]), 2, tokens), Ct));
        Assert.Contains("pooler_output", error.Message, StringComparison.Ordinal);
    }
}
