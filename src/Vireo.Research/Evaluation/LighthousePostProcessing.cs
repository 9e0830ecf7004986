using Vireo.Grounding.Trained;
using Vireo.Research.Datasets;

namespace Vireo.Research.Evaluation;

/// <summary>
/// What Lighthouse's evaluation (<c>compute_mr_results</c> with <c>PostProcessorDETR</c>) does to a forward pass's
/// moments before scoring, per data set: every number rounded to 4 decimals, the windows then clamped to
/// [0, <see cref="MaxSeconds"/>] (not to the video) when <see cref="Clamps"/>, and rounded to multiples of the clip length
/// (float32, ties to even, as <c>torch.round</c>); the saliency cast to float16.
/// </summary>
/// <param name="Clamps">Whether windows are clamped (QVHighlights, Charades-STA: yes; TACoS, ActivityNet: no).</param>
/// <param name="MaxSeconds">The clamp's upper bound.</param>
public sealed record LighthousePostProcessing(bool Clamps, double MaxSeconds)
{
    /// <summary>The post-processing Lighthouse applies for <paramref name="dataset"/> (a <see cref="DatasetNames"/> name).</summary>
    public static LighthousePostProcessing For(string dataset) => dataset switch
    {
        DatasetNames.QvHighlights or DatasetNames.CharadesSta => new(true, 150),
        _ => new(false, double.PositiveInfinity),
    };

    /// <summary>[start, end, score] windows in the official order and values.</summary>
    public IReadOnlyList<Vireo.Temporal.ScoredWindow> Windows(IReadOnlyList<PredictedMoment> ranked, float clipSeconds)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        var windows = new Vireo.Temporal.ScoredWindow[ranked.Count];
        for (var i = 0; i < windows.Length; i++)
        {
            var m = ranked[i];
            windows[i] = new(ToClipMultiple(m.Start, clipSeconds), ToClipMultiple(m.End, clipSeconds), Round4((float)Round4(m.Score)));
        }
        return windows;
    }

    /// <summary>Saliency as the official files carry it: each value cast to float16.</summary>
    public static double[] Saliency(ReadOnlySpan<float> saliency)
    {
        var values = new double[saliency.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = (double)(Half)saliency[i];
        return values;
    }

    private double ToClipMultiple(float seconds, float clipSeconds)
    {
        var value = (float)Round4(seconds);
        if (Clamps)
            value = Math.Clamp(value, 0f, (float)MaxSeconds);
        return MathF.Round(value / clipSeconds, MidpointRounding.ToEven) * clipSeconds;
    }

    private static double Round4(double value) => DecimalRounding.Round(value, 4);
}
