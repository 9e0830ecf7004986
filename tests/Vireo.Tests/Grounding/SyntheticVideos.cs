using Vireo.Grounding;
using Vireo.Media;
using Vireo.Vectors;
using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Tests.Grounding;

/// <summary>
/// Clip embeddings with a known answer. Each clip is normalise(context + scene(shot) + noise·clip noise + signal·query
/// inside a planted span): a direction all clips share (as CLIP image embeddings do), one random scene vector per shot
/// (shots of 3 to 15 clips, so whole shots drift towards or away from the query by chance), independent per-clip noise,
/// and the query direction added inside the planted spans. The clip vector before normalisation has length about 1.5;
/// in 256 dimensions a random direction has cosine ~N(0, 1/16²) with the query, so the default signal 0.3 lifts the
/// planted clips' similarity by about 0.2 over a background that varies by about 0.04 between shots and 0.02 between clips.
/// </summary>
internal static class SyntheticVideos
{
    public const int Dimension = 256;

    public sealed record Planted(GroundingVideo Video, float[] Query, IReadOnlyList<ClipSpan> Segments);

    public static Planted Create(int seed, double duration, IReadOnlyList<ClipSpan> segments, double signal = 0.3, double noise = 0.5,
        double clipLength = 2.0, IReadOnlyList<double>? shotBoundaries = null, int dimension = Dimension)
    {
        var random = new Random(seed);
        var grid = new ClipGrid(duration, clipLength);
        var query = RandomUnit(random, dimension);
        var context = RandomUnit(random, dimension);
        var clips = new EmbeddingMatrix(grid.Count, dimension);
        var scene = RandomUnit(random, dimension);
        var inside = new bool[grid.Count];
        foreach (var s in segments)
            inside.AsSpan(s.Start, s.Length).Fill(true);
        var shotEnd = random.Next(3, 16);
        for (var i = 0; i < grid.Count; i++)
        {
            if (i == shotEnd)
            {
                scene = RandomUnit(random, dimension);
                shotEnd += random.Next(3, 16);
            }
            var row = clips[i];
            for (var d = 0; d < dimension; d++)
                row[d] = (float)(context[d] + scene[d] + noise * Gaussian(random) / Math.Sqrt(dimension) + (inside[i] ? signal * query[d] : 0));
            VectorMath.NormalizeInPlace(row);
        }
        return new Planted(new GroundingVideo(clips, grid, shotBoundaries), query, segments);
    }

    /// <summary>Clips of consecutive scenes of the given lengths: each clip its scene's random direction plus a little noise.</summary>
    public static EmbeddingMatrix Scenes(int seed, IReadOnlyList<int> lengths, double noise = 0.3, int dimension = Dimension)
    {
        var random = new Random(seed);
        var clips = new EmbeddingMatrix(lengths.Sum(), dimension);
        var row = 0;
        foreach (var length in lengths)
        {
            var scene = RandomUnit(random, dimension);
            for (var i = 0; i < length; i++, row++)
            {
                var clip = clips[row];
                for (var d = 0; d < dimension; d++)
                    clip[d] = (float)(scene[d] + noise * Gaussian(random) / Math.Sqrt(dimension));
                VectorMath.NormalizeInPlace(clip);
            }
        }
        return clips;
    }

    /// <summary>Random non-overlapping spans of the given lengths, at least <paramref name="gap"/> clips apart, in time order.</summary>
    public static ClipSpan[] RandomSegments(Random random, int clips, IReadOnlyList<int> lengths, int gap = 4)
    {
        for (var attempt = 0; ; attempt++)
        {
            var spans = lengths.Select(l => { var s = random.Next(0, clips - l + 1); return new ClipSpan(s, s + l); }).OrderBy(s => s.Start).ToArray();
            var ok = true;
            for (var i = 1; i < spans.Length; i++)
                ok &= spans[i].Start >= spans[i - 1].End + gap;
            if (ok)
                return spans;
            if (attempt > 10_000)
                throw new InvalidOperationException("cannot place the segments");
        }
    }

    public static float[] RandomUnit(Random random, int dimension = Dimension)
    {
        var v = new float[dimension];
        for (var d = 0; d < v.Length; d++)
            v[d] = (float)Gaussian(random);
        VectorMath.NormalizeInPlace(v);
        return v;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
