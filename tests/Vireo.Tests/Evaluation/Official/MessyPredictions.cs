using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Temporal;

namespace Vireo.Tests.Evaluation.Official;

/// <summary>
/// Prediction files of the kind a researcher's model writes, built from the real annotations with a fixed seed:
/// the ground truth as annotated (past the video end), windows at exact IoU thresholds of the clipped ground truth,
/// 2D-TAN-style grid proposals (float32 grid times), zero-length windows (several, at different times), tied scores,
/// inverted windows, windows past the end, and lines not in score order.
/// </summary>
internal static class MessyPredictions
{
    private static readonly double[] Thresholds = [0.1, 0.3, 0.5, 0.7];

    /// <summary>Predictions for every query of a single-window benchmark (Charades-STA, TACoS, ActivityNet Captions).</summary>
    public static List<GroundingPrediction> Moments(GroundingDataset truth, int seed)
    {
        var random = new Random(seed);
        var predictions = new List<GroundingPrediction>(truth.Queries.Count);
        foreach (var q in truth.Queries)
        {
            var (s, e, d) = (q.Windows[0].Start, q.Windows[0].End, q.Duration);
            var clippedEnd = Math.Min(e, d);
            var length = clippedEnd - s;
            var m = Thresholds[random.Next(Thresholds.Length)];
            var windows = new List<ScoredWindow>();
            // one candidate of each kind, in a random mix, scores on a coarse scale so that ties are common
            windows.Add(new ScoredWindow(s, e, Score(random)));                                   // as annotated (past the end for some)
            windows.Add(new ScoredWindow(s, s + m * length, Score(random)));                       // IoU exactly m of the clipped truth
            windows.Add(new ScoredWindow(clippedEnd - m * length, clippedEnd, Score(random)));
            windows.Add(new ScoredWindow(s - (1 / m - 1) * length / 2, clippedEnd + (1 / m - 1) * length / 2, Score(random)));
            windows.Add(new ScoredWindow(s, d, Score(random)));                                    // to the video end
            windows.Add(new ScoredWindow(s, d + random.Next(1, 4) * 0.5, Score(random)));          // past the video end
            var t = random.NextDouble() * d;
            windows.Add(new ScoredWindow(t, t, Score(random)));                                    // zero-length
            windows.Add(new ScoredWindow(t + 1, t + 1, Score(random)));                            // another, elsewhere
            windows.Add(new ScoredWindow(e, s, Score(random)));                                    // inverted
            for (var k = 0; k < 4; k++)
                windows.Add(GridProposal(random, d));
            Shuffle(random, windows);
            var count = random.Next(1, windows.Count + 1);
            var kept = windows.GetRange(0, count);
            if (random.Next(3) > 0)
                kept = [.. TemporalNms.SortByScore([.. kept])];
            predictions.Add(new GroundingPrediction(q.QueryId, kept) { VideoId = q.VideoId });
        }
        return predictions;
    }

    /// <summary>DiDeMo: all 21 moments in a random order with tied scores, plus zero-length and inverted windows on the grid.</summary>
    public static List<GroundingPrediction> DiDeMoMoments(GroundingDataset truth, int seed)
    {
        var random = new Random(seed);
        var predictions = new List<GroundingPrediction>(truth.Queries.Count);
        foreach (var q in truth.Queries)
        {
            var windows = new List<ScoredWindow>();
            foreach (var (s, e) in DiDeMo.AllMoments)
                windows.Add(new ScoredWindow(DiDeMo.ToSeconds(s, e), Score(random)));
            var k = random.Next(0, 7) * DiDeMo.SegmentSeconds;
            windows.Add(new ScoredWindow(k, k, Score(random)));                                    // zero-length on the grid
            windows.Add(new ScoredWindow(k + 10, k, Score(random)));                               // inverted on the grid
            windows.Add(windows[random.Next(21)] with { Score = Score(random) });                  // a duplicate moment
            Shuffle(random, windows);
            predictions.Add(new GroundingPrediction(q.QueryId, windows) { VideoId = q.VideoId });
        }
        return predictions;
    }

    /// <summary>QVHighlights: windows of every messy kind in submission order, and saliency scores with ties (sometimes too few or too many).</summary>
    public static List<GroundingPrediction> Highlights(GroundingDataset truth, int seed)
    {
        var random = new Random(seed);
        var predictions = new List<GroundingPrediction>(truth.Queries.Count);
        foreach (var q in truth.Queries)
        {
            var gt = q.Windows[random.Next(q.Windows.Count)];
            var m = 0.5 + 0.05 * random.Next(10);
            var windows = new List<ScoredWindow>
            {
                new(gt.Start, gt.Start + m * gt.Length, Score(random)),
                new(gt.End - m * gt.Length, gt.End, Score(random)),
                new(gt.Start, q.Duration + 2, Score(random)),
                new(gt.End, gt.Start, Score(random)),
                new(gt.Start, gt.Start, Score(random)),
            };
            for (var k = 0; k < 8; k++)
            {
                var a = 2 * random.Next(0, 75);
                windows.Add(new ScoredWindow(a, a + 2 * random.Next(1, 20), Score(random)));
            }
            Shuffle(random, windows);
            var clips = SaliencyAnnotation.ClipCount(q.Duration) + random.Next(-2, 3);
            var saliency = new double[Math.Max(1, clips)];
            for (var c = 0; c < saliency.Length; c++)
                saliency[c] = Score(random);
            predictions.Add(new GroundingPrediction(q.QueryId, windows.GetRange(0, random.Next(1, windows.Count + 1)))
            {
                VideoId = q.VideoId,
                Query = q.Sentence,
                SaliencyScores = saliency,
            });
        }
        return predictions;
    }

    /// <summary>
    /// A [captions × videos] similarity matrix with each caption's true video near the top: float32 values on a coarse
    /// scale (many ties) when <paramref name="ties"/>, float32 or float64 without ties otherwise; with
    /// <paramref name="doublePrecision"/>, float64 values so close that many collide once narrowed to float32.
    /// </summary>
    public static double[] Similarities(int[] truthColumn, int videos, int seed, bool doublePrecision, bool ties)
    {
        var random = new Random(seed);
        var captions = truthColumn.Length;
        var values = new double[captions * videos];
        for (var i = 0; i < values.Length; i++)
        {
            var v = random.NextDouble() * 0.6 - 0.2;
            values[i] = ties ? Math.Round(v * 200) / 200 : v;
        }
        for (var q = 0; q < captions; q++)
        {
            var at = q * videos + truthColumn[q];
            var boost = random.Next(4) == 0 ? 0 : random.NextDouble() * 0.3;
            values[at] = Math.Min(values[at] + boost, 0.45);
            if (ties)
                values[at] = Math.Round(values[at] * 200) / 200;
        }
        for (var i = 0; i < values.Length; i++)
            values[i] = doublePrecision ? 0.25 + (values[i] - 0.25) * 1e-6 : (float)values[i];
        return values;
    }

    private static ScoredWindow GridProposal(Random random, double duration)
    {
        const int clips = 16;
        var a = random.Next(clips);
        var b = random.Next(a, clips);
        return new ScoredWindow((float)a / clips * (float)duration, (float)(b + 1) / clips * (float)duration, Score(random));
    }

    /// <summary>Scores on a 0.05 scale: about one window in five shares its score with another.</summary>
    private static double Score(Random random) => Math.Round(random.Next(0, 21) * 0.05, 2);

    private static void Shuffle<T>(Random random, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
