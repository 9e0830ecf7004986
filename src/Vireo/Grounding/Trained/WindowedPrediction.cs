using Vireo.Temporal;

namespace Vireo.Grounding.Trained;

/// <summary>One forward pass and the clips it saw.</summary>
public sealed record WindowPass(ClipWindow Window, DetrOutputs Outputs);

/// <summary>
/// A trained grounder's answer for a whole video: ranked moments in seconds on the clip timeline (clip i covers
/// [i·s, (i+1)·s)) and a saliency score per clip.
/// <para>
/// A video that fits one window gets what Lighthouse's predictor gives: every moment query's window clamped to the
/// clips, ranked by foreground probability. A longer video is covered by overlapping windows (<see cref="ClipWindow.Cover"/>); each clip's saliency
/// comes from the window where it lies farthest from an edge (most context on both sides), and the windows' moments are
/// merged: the foreground probability, which each window's softmax gives on its own scale (every window believes it
/// holds the moment), is weighted by σ(mean saliency of the moment's clips) on the stitched curve, which compares clips
/// across windows; then non-maximum suppression at IoU 0.7 removes the copies that overlapping windows find twice.
/// </para>
/// </summary>
public sealed class WindowedPrediction
{
    /// <summary>Moments overlapping a better one by more than this are dropped when windows are merged.</summary>
    public const double MergeIoU = 0.7;

    private WindowedPrediction(IReadOnlyList<ScoredWindow> moments, float[] saliency, int windows)
    {
        Moments = moments;
        Saliency = saliency;
        Windows = windows;
    }

    /// <summary>Best first: [start, end] seconds and score.</summary>
    public IReadOnlyList<ScoredWindow> Moments { get; }

    /// <summary>One score per clip of the video.</summary>
    public float[] Saliency { get; }

    /// <summary>How many forward passes the video took.</summary>
    public int Windows { get; }

    /// <param name="passes">The forward passes, one per window.</param>
    /// <param name="clips">The video's clips.</param>
    /// <param name="clipSeconds">Seconds per clip.</param>
    /// <param name="maxMoments">Moments kept when windows are merged; 0 keeps every survivor of the suppression; null: as many as the network has moment queries.</param>
    public static WindowedPrediction Merge(IReadOnlyList<WindowPass> passes, int clips, float clipSeconds, int? maxMoments = null)
    {
        ArgumentNullException.ThrowIfNull(passes);
        ArgumentOutOfRangeException.ThrowIfZero(passes.Count);
        if (passes.Count == 1)
        {
            var only = passes[0];
            var seconds = only.Window.Count * clipSeconds;
            var ranked = MomentRanking.Rank(only.Outputs, seconds);
            return new WindowedPrediction([.. ranked.Select(m => new ScoredWindow(Math.Clamp(m.Start, 0, seconds), Math.Clamp(m.End, 0, seconds), m.Score))],
                only.Outputs.Saliency, 1);
        }
        var saliency = Stitch(passes, clips);
        var candidates = new List<ScoredWindow>();
        foreach (var pass in passes)
        {
            var offset = pass.Window.Start * clipSeconds;
            foreach (var moment in MomentRanking.Rank(pass.Outputs, pass.Window.Count * clipSeconds))
            {
                var start = Math.Max(offset + moment.Start, offset);
                var end = Math.Min(offset + moment.End, pass.Window.End * clipSeconds);
                var weight = Sigmoid(MeanSaliency(saliency, start, end, clipSeconds));
                candidates.Add(new ScoredWindow(start, end, moment.Score * weight));
            }
        }
        return new WindowedPrediction(TemporalNms.Apply([.. candidates], MergeIoU, maxMoments ?? passes[0].Outputs.Queries), saliency, passes.Count);
    }

    private static float[] Stitch(IReadOnlyList<WindowPass> passes, int clips)
    {
        var saliency = new float[clips];
        var margin = new int[clips];
        Array.Fill(margin, -1);
        foreach (var (window, outputs) in passes)
        {
            for (var clip = window.Start; clip < window.End; clip++)
            {
                var m = window.Margin(clip);
                if (m > margin[clip])
                {
                    margin[clip] = m;
                    saliency[clip] = outputs.Saliency[clip - window.Start];
                }
            }
        }
        return saliency;
    }

    private static double MeanSaliency(float[] saliency, double start, double end, float clipSeconds)
    {
        var first = Math.Clamp((int)Math.Floor(start / clipSeconds), 0, saliency.Length - 1);
        var last = Math.Clamp((int)Math.Ceiling(end / clipSeconds) - 1, first, saliency.Length - 1);
        double sum = 0;
        for (var i = first; i <= last; i++)
            sum += saliency[i];
        return sum / (last - first + 1);
    }

    internal static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
