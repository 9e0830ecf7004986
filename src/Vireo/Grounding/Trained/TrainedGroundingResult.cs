using Vireo.Grounding.Signals;
using Vireo.Temporal;

namespace Vireo.Grounding.Trained;

/// <summary>A trained grounder's prediction as the <see cref="GroundingResult"/> every host renders.</summary>
public static class TrainedGroundingResult
{
    /// <summary>
    /// Moments clamped to the video (<paramref name="grid"/>'s duration; the network's clip timeline may run past a
    /// partial last clip), empty ones dropped, in the prediction's order; the saliency curve is the network's saliency.
    /// </summary>
    public static GroundingResult From(WindowedPrediction prediction, ClipGrid grid)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(grid);
        var saliency = prediction.Saliency.AsSpan(0, Math.Min(prediction.Saliency.Length, grid.Count));
        var profile = SimilarityProfile.FromSimilarities(saliency, grid);
        var moments = new List<GroundedMoment>(prediction.Moments.Count);
        foreach (var window in prediction.Moments)
        {
            var start = Math.Clamp(window.Start, 0, grid.Duration);
            var end = Math.Clamp(window.End, 0, grid.Duration);
            if (!(end > start))
                continue;
            var clips = SpanOf(start, end, grid);
            moments.Add(new GroundedMoment(start, end, window.Score, clips, Mean(saliency, clips)));
        }
        return new GroundingResult(moments, profile, prediction.Windows * Math.Max(1, prediction.Moments.Count));
    }

    /// <summary>
    /// A moment's score on the scale that compares moments across windows and videos: the foreground probability
    /// weighted by σ(mean saliency of its clips) (see <see cref="WindowedPrediction"/>; merged windows are weighted already).
    /// </summary>
    public static double ComparableScore(GroundedMoment moment, WindowedPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return prediction.Windows > 1 ? moment.Score : moment.Score * WindowedPrediction.Sigmoid(moment.MeanSimilarity);
    }

    private static ClipSpan SpanOf(double start, double end, ClipGrid grid)
    {
        var first = Math.Clamp((int)Math.Floor(start / grid.ClipLength), 0, grid.Count - 1);
        var last = Math.Clamp((int)Math.Ceiling(end / grid.ClipLength), first + 1, grid.Count);
        return new ClipSpan(first, last);
    }

    private static double Mean(ReadOnlySpan<float> saliency, ClipSpan clips)
    {
        double sum = 0;
        for (var i = clips.Start; i < clips.End; i++)
            sum += saliency[i];
        return sum / clips.Length;
    }
}
