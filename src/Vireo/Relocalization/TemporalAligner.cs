namespace Vireo.Relocalization;

/// <summary>Where the whole query lies along a candidate: candidate clips [FirstColumn, LastColumn] and the path's score.</summary>
/// <param name="FirstColumn">The first candidate clip on the path.</param>
/// <param name="LastColumn">The last candidate clip on the path.</param>
/// <param name="Score">
/// The mean similarity per query clip along the constant-speed line from the path's first to its last column (what
/// matches are judged by: a path may pick the best of neighbouring clips row by row, the line cannot).
/// </param>
/// <param name="PathScore">The mean similarity per query clip along the path, less the speed-change penalties (per clip).</param>
public readonly record struct Alignment(int FirstColumn, int LastColumn, double Score, double PathScore)
{
    /// <summary>Candidate clips the path spans.</summary>
    public int Columns => LastColumn - FirstColumn + 1;
}

/// <summary>
/// Aligns a query's clip sequence, whole, with stretches of a longer candidate sequence (subsequence dynamic time
/// warping). A path visits every query clip in order and advances through the candidate monotonically by the steps
/// (1, 1) — one query clip on one candidate clip —, (1, 2) — one query clip over two candidate clips: the content
/// plays slower there — and (2, 1) — two query clips on one: faster —, so its local speed stays within 0.5–2×.
/// A step adds the similarity of the query clip(s) it covers (a query clip spread over two candidate clips adds the
/// mean of both), so every complete path adds up exactly one similarity per query clip and paths of any speed
/// compare fairly: the score is the mean similarity per query clip. Each step off the diagonal costs a small
/// penalty. The path may start and end at any candidate clip; the dynamic programme keeps each path's first column
/// beside its score, so three rows of the matrix suffice (O(columns) memory, O(rows · columns) time).
/// <para>The path locates a match; the match is then scored along the straight line between the path's ends (the
/// query played at one constant speed there), so that a path zig-zagging to the best neighbour of each row through
/// unrelated content does not score like a real occurrence.</para>
/// </summary>
public sealed class TemporalAligner
{
    public TemporalAligner(double speedChangePenalty = 0.01, double minSpeed = 0.5, double maxSpeed = 2.0)
    {
        if (!(speedChangePenalty >= 0) || !double.IsFinite(speedChangePenalty))
            throw new ArgumentOutOfRangeException(nameof(speedChangePenalty), speedChangePenalty, "the penalty must be a finite number ≥ 0");
        if (!(minSpeed > 0 && minSpeed <= maxSpeed) || !double.IsFinite(maxSpeed))
            throw new ArgumentOutOfRangeException(nameof(minSpeed), minSpeed, "the speed range must be positive and ordered");
        SpeedChangePenalty = speedChangePenalty;
        MinSpeed = minSpeed;
        MaxSpeed = maxSpeed;
    }

    public double SpeedChangePenalty { get; }

    public double MinSpeed { get; }

    public double MaxSpeed { get; }

    private double MaxPenaltyPerRow => SpeedChangePenalty;

    /// <summary>
    /// The best end column's alignment, then the next best whose columns do not overlap any kept one, and so on:
    /// at most <paramref name="maxCount"/> alignments whose line score is at least <paramref name="minScore"/>, in
    /// the order of their path scores (best first). An
    /// alignment whose overall speed (query clips / candidate clips, ± one clip for the unknown phase of the clip
    /// boundaries) cannot fall in [MinSpeed, MaxSpeed] is skipped.
    /// </summary>
    public IReadOnlyList<Alignment> Align(SimilarityMatrix similarities, int maxCount = 1, double minScore = double.NegativeInfinity)
    {
        ArgumentNullException.ThrowIfNull(similarities);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var (scores, starts) = EndScores(similarities);
        var columns = similarities.Columns;
        var order = new int[columns];
        var keys = new double[columns];
        for (var j = 0; j < columns; j++)
        {
            order[j] = j;
            keys[j] = -scores[j];
        }
        Array.Sort(keys, order);
        var kept = new List<Alignment>(maxCount);
        foreach (var end in order)
        {
            // The best path to an end scores about as well as the line to it, less the penalties: later ends cannot reach the threshold.
            if (double.IsNegativeInfinity(scores[end]) || !(scores[end] >= minScore - MaxPenaltyPerRow))
                break;
            var start = starts[end];
            if (!SpeedPossible(similarities.Rows, end - start + 1))
                continue;
            var alignment = new Alignment(start, end, LineScore(similarities, start, end), scores[end]);
            if (!(alignment.Score >= minScore) || Overlaps(alignment, kept))
                continue;
            kept.Add(alignment);
            if (kept.Count == maxCount)
                break;
        }
        return kept;
    }

    /// <summary>For each candidate column, the best complete path ending there: its score and first column.</summary>
    internal (double[] Scores, int[] Starts) EndScores(SimilarityMatrix s)
    {
        var rows = s.Rows;
        var columns = s.Columns;
        var penalty = SpeedChangePenalty;
        // Rows i−2, i−1 and i of the programme; row −1 is the virtual start (score 0 anywhere).
        var twoBack = new double[columns];
        var oneBack = new double[columns];
        var current = new double[columns];
        var twoBackStart = new int[columns];
        var oneBackStart = new int[columns];
        var currentStart = new int[columns];
        for (var i = 0; i < rows; i++)
        {
            var row = s.Row(i);
            var previousRow = i > 0 ? s.Row(i - 1) : default;
            for (var j = 0; j < columns; j++)
            {
                var best = double.NegativeInfinity;
                var start = -1;
                // (1, 1): query clip i on candidate clip j.
                if (i == 0)
                    Consider(row[j], j, ref best, ref start);
                else if (j >= 1)
                    Consider(oneBack[j - 1] + row[j], oneBackStart[j - 1], ref best, ref start);
                // (1, 2): query clip i over candidate clips j−1 and j (slower).
                if (j >= 1)
                {
                    var spread = (row[j - 1] + row[j]) / 2.0 - penalty;
                    if (i == 0)
                        Consider(spread, j - 1, ref best, ref start);
                    else if (j >= 2)
                        Consider(oneBack[j - 2] + spread, oneBackStart[j - 2], ref best, ref start);
                }
                // (2, 1): query clips i−1 and i on candidate clip j (faster).
                if (i >= 1)
                {
                    var both = previousRow[j] + row[j] - penalty;
                    if (i == 1)
                        Consider(both, j, ref best, ref start);
                    else if (j >= 1)
                        Consider(twoBack[j - 1] + both, twoBackStart[j - 1], ref best, ref start);
                }
                current[j] = best;
                currentStart[j] = start;
            }
            (twoBack, oneBack, current) = (oneBack, current, twoBack);
            (twoBackStart, oneBackStart, currentStart) = (oneBackStart, currentStart, twoBackStart);
        }
        for (var j = 0; j < columns; j++)
            oneBack[j] /= rows;
        return (oneBack, oneBackStart);
    }

    /// <summary>
    /// The mean similarity per query row along the straight line from column <paramref name="first"/> to
    /// <paramref name="last"/>: row i's centre maps to a point of the candidate span between two columns, and the row
    /// takes the better of those two (the clips of the two sequences are sampled at different phases).
    /// </summary>
    public static double LineScore(SimilarityMatrix similarities, int first, int last)
    {
        ArgumentNullException.ThrowIfNull(similarities);
        var rows = similarities.Rows;
        var columns = last - first + 1;
        var sum = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var position = Math.Clamp(first + (i + 0.5) * columns / rows - 0.5, first, last);
            var left = (int)Math.Floor(position);
            var row = similarities.Row(i);
            sum += Math.Max(row[left], row[Math.Min(left + 1, last)]);
        }
        return sum / rows;
    }

    private static void Consider(double value, int start, ref double best, ref int bestStart)
    {
        if (value > best)
        {
            best = value;
            bestStart = start;
        }
    }

    private bool SpeedPossible(int rows, int columns) =>
        rows / (double)(columns + 1) <= MaxSpeed && rows / (double)Math.Max(1, columns - 1) >= MinSpeed;

    private static bool Overlaps(Alignment candidate, List<Alignment> kept)
    {
        foreach (var k in kept)
        {
            if (candidate.FirstColumn <= k.LastColumn && k.FirstColumn <= candidate.LastColumn)
                return true;
        }
        return false;
    }
}
