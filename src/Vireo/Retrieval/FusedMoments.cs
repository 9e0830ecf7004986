using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Retrieval;

/// <summary>A moment of one video scored by the fusion: from the pictures (a grounded moment) or from a matched timed-text entry.</summary>
/// <param name="Moment">Its window and clips; <see cref="GroundedMoment.Score"/> is the fused score.</param>
/// <param name="Score">The fused score (<see cref="ChannelFusion"/>), comparable across videos.</param>
/// <param name="Similarity">The mean similarity of its clips with the sentence (0 when the pictures were not searched).</param>
/// <param name="FromPictures">True for a grounded moment, false for a text entry's span.</param>
/// <param name="Text">The matched entries inside it.</param>
public sealed record FusedMoment(GroundedMoment Moment, double Score, double Similarity, bool FromPictures, IReadOnlyList<MatchedText> Text)
{
    /// <summary>The channels that found it.</summary>
    public IReadOnlyList<SearchChannel> Channels => SearchChannels.Matched(FromPictures, Text);

    /// <summary>Best first: fused score, then a text span before a grounded moment (its bounds are the entry's own), then similarity.</summary>
    public static int Compare(FusedMoment a, FusedMoment b)
    {
        if (a.Score != b.Score)
            return b.Score.CompareTo(a.Score);
        if (a.FromPictures != b.FromPictures)
            return a.FromPictures ? 1 : -1;
        return b.Similarity.CompareTo(a.Similarity);
    }
}

/// <summary>
/// One video's moments when text matched: every matched entry's span and every grounded moment, each scored
/// <c>Visual · v + t</c> with v the video's rescaled visual score and t the best text score of the matched entries
/// inside it (<see cref="ChannelFusion"/>); best first, a moment mostly inside one already kept left out.
/// </summary>
internal static class FusedMoments
{
    public static List<FusedMoment> Combine(long videoId, ClipGrid grid, double visual, IReadOnlyList<GroundedMoment> grounded,
        Func<GroundedMoment, double> similarity, float[] saliency, TextStage lexical, ChannelFusion fusion, int count)
    {
        var candidates = new List<FusedMoment>();
        foreach (var entry in lexical.Of(videoId))
        {
            var window = new TemporalWindow(Math.Clamp(entry.Start, 0, grid.Duration), Math.Clamp(entry.End, 0, grid.Duration));
            if (window.Length <= 0)
                continue;
            var clips = ClipsOf(grid, window);
            var inside = lexical.Overlapping(videoId, window);
            var score = fusion.Fuse(visual, TextStage.BestScore(inside));
            var mean = MeanOf(saliency, clips);
            candidates.Add(new FusedMoment(new GroundedMoment(window.Start, window.End, score, clips, mean), score, mean, FromPictures: false, inside));
        }
        foreach (var moment in grounded)
        {
            var inside = lexical.Overlapping(videoId, moment.Window);
            var score = fusion.Fuse(visual, TextStage.BestScore(inside));
            candidates.Add(new FusedMoment(moment with { Score = score }, score, similarity(moment), FromPictures: true, inside));
        }
        candidates.Sort(FusedMoment.Compare);
        var kept = new List<FusedMoment>(Math.Min(count, candidates.Count));
        foreach (var candidate in candidates)
        {
            if (kept.Count == count)
                break;
            if (!MostlyInside(candidate.Moment.Window, kept))
                kept.Add(candidate);
        }
        return kept;
    }

    private static bool MostlyInside(TemporalWindow window, List<FusedMoment> kept)
    {
        var covered = 0.0;
        foreach (var other in kept)
            covered += window.Intersection(other.Moment.Window);
        return window.Length <= 0 || covered > 0.5 * window.Length;
    }

    private static ClipSpan ClipsOf(ClipGrid grid, TemporalWindow window)
    {
        var first = grid.ClipOf(window.Start);
        var last = Math.Max(first, grid.ClipOf(Math.Max(window.Start, window.End - 1e-6)));
        return new ClipSpan(first, last + 1);
    }

    private static double MeanOf(float[] saliency, ClipSpan clips)
    {
        if (saliency.Length == 0)
            return 0;
        var sum = 0.0;
        var n = 0;
        for (var i = clips.Start; i < Math.Min(clips.End, saliency.Length); i++, n++)
            sum += saliency[i];
        return n > 0 ? sum / n : 0;
    }
}
