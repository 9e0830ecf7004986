using Vireo.Errors;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Baselines;

/// <summary>A method that predicts windows from the annotations alone (no video, no sentence).</summary>
public interface IGroundingBaseline
{
    /// <summary>The baseline's name on the command line and in reports.</summary>
    string Name { get; }

    /// <summary>True when <see cref="Predict"/> depends on the seed.</summary>
    bool IsRandom { get; }

    /// <summary>Predictions for <paramref name="queries"/>, best first, reproducible for a given seed.</summary>
    IReadOnlyList<GroundingPrediction> Predict(IReadOnlyList<GroundingQuery> queries, int seed);
}

/// <summary>The whole video, [0, duration], as the single answer.</summary>
public sealed class WholeVideoBaseline : IGroundingBaseline
{
    public string Name => "whole-video";

    public bool IsRandom => false;

    public IReadOnlyList<GroundingPrediction> Predict(IReadOnlyList<GroundingQuery> queries, int seed)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return [.. queries.Select(q => new GroundingPrediction(q.QueryId, [new ScoredWindow(0, q.Duration, 1)]) { VideoId = q.VideoId, Query = q.Sentence })];
    }
}

/// <summary>
/// Uniformly random windows: each window's two ends are two independent uniform draws in [0, duration], sorted; the
/// <see cref="Count"/> windows are ranked in draw order (scores Count, Count − 1, ...).
/// </summary>
public sealed class UniformRandomBaseline(int count = 10) : IGroundingBaseline
{
    public string Name => "uniform-random";

    public bool IsRandom => true;

    public int Count { get; } = count;

    public IReadOnlyList<GroundingPrediction> Predict(IReadOnlyList<GroundingQuery> queries, int seed)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var random = new Random(seed);
        var predictions = new GroundingPrediction[queries.Count];
        for (var q = 0; q < queries.Count; q++)
        {
            var d = queries[q].Duration;
            var windows = new ScoredWindow[Count];
            for (var i = 0; i < Count; i++)
            {
                var (a, b) = (random.NextDouble() * d, random.NextDouble() * d);
                windows[i] = new ScoredWindow(Math.Min(a, b), Math.Max(a, b), Count - i);
            }
            predictions[q] = new GroundingPrediction(queries[q].QueryId, windows) { VideoId = queries[q].VideoId, Query = queries[q].Sentence };
        }
        return predictions;
    }
}

/// <summary>
/// The prior-only blind baseline of Otani et al., "Uncovering Hidden Challenges in Query-Based Video Moment Retrieval"
/// (BMVC 2020): a Gaussian KDE (Scott's rule) over (start / duration, length / duration) of the training windows,
/// with start clipped to [0, 1] and length to at most 1 − start. Per query: draw <see cref="Samples"/> points, score each
/// by the density at the drawn point, clip start and length to [0, 1] and length to 1 − start, drop empty windows, keep
/// the top <see cref="TopK"/> after NMS at <see cref="NmsThreshold"/> (suppress IoU &gt; 0.45), and scale by the video's
/// duration. Their evaluation is strict (IoU &gt; m).
/// </summary>
public sealed class KdePriorBaseline : IGroundingBaseline
{
    private readonly GaussianKde2D _kde;

    private KdePriorBaseline(GaussianKde2D kde) => _kde = kde;

    public string Name => "kde-prior";

    public bool IsRandom => true;

    public int Samples { get; init; } = 100;

    public double NmsThreshold { get; init; } = 0.45;

    public int TopK { get; init; } = 10;

    /// <summary>The fitted density.</summary>
    public GaussianKde2D Density => _kde;

    /// <summary>Fits the prior to the first ground-truth window of each training query.</summary>
    public static KdePriorBaseline Fit(IReadOnlyList<GroundingQuery> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        var starts = new List<double>(training.Count);
        var lengths = new List<double>(training.Count);
        foreach (var q in training)
        {
            if (q.Windows.Count == 0 || !(q.Duration > 0))
                continue;
            var w = q.Windows[0];
            var start = Math.Clamp(w.Start / q.Duration, 0, 1);
            starts.Add(start);
            lengths.Add(Math.Min((w.End - w.Start) / q.Duration, 1 - start));
        }
        // The training file, to name in an error (in-memory queries have none).
        var source = training.Select(q => q.Source).FirstOrDefault(s => s is not null);
        if (starts.Count < 3)
        {
            throw Training(source, $"the KDE prior needs at least three training queries with a ground-truth window and a positive duration; {starts.Count} of {training.Count} have one");
        }
        try
        {
            return new KdePriorBaseline(new GaussianKde2D(starts.ToArray(), lengths.ToArray()));
        }
        catch (ArgumentException)
        {
            throw Training(source, "the training windows are degenerate (all at the same relative start, or start and length perfectly correlated), so they give no 2-D density");
        }
    }

    private static VireoException Training(string? file, string reason) =>
        file is not null ? new DatasetFormatException(file, 0, reason) : new InputException(null, reason);

    public IReadOnlyList<GroundingPrediction> Predict(IReadOnlyList<GroundingQuery> queries, int seed)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var random = new Random(seed);
        var predictions = new GroundingPrediction[queries.Count];
        var candidates = new List<ScoredWindow>(Samples);
        for (var q = 0; q < queries.Count; q++)
        {
            candidates.Clear();
            foreach (var (s, l) in _kde.Resample(Samples, random))
            {
                var likelihood = _kde.Density(s, l);
                var start = Math.Clamp(s, 0, 1);
                var length = Math.Min(Math.Clamp(l, 0, 1), 1 - start);
                if (length > 0)
                    candidates.Add(new ScoredWindow(start, start + length, likelihood));
            }
            var d = queries[q].Duration;
            var kept = TemporalNms.Apply(candidates.ToArray(), NmsThreshold, TopK);
            var windows = new ScoredWindow[kept.Length];
            for (var i = 0; i < kept.Length; i++)
                windows[i] = new ScoredWindow(kept[i].Start * d, kept[i].End * d, kept[i].Score);
            predictions[q] = new GroundingPrediction(queries[q].QueryId, windows) { VideoId = queries[q].VideoId, Query = queries[q].Sentence };
        }
        return predictions;
    }
}
