using Vireo.Relocalization;
using Vireo.Vectors;

namespace Vireo.Tests.Relocalization;

/// <summary>
/// The aligner on synthetic clip sequences: a query of distinct random directions is planted, resampled to another
/// speed and with noise, into a longer candidate of other random directions; the alignment must land on it.
/// </summary>
public class TemporalAlignerTests
{
    private const int Dimension = 64;

    /// <summary>Random unit vectors, one per row.</summary>
    private static EmbeddingMatrix RandomRows(Random random, int count)
    {
        var rows = new EmbeddingMatrix(count, Dimension);
        for (var i = 0; i < rows.Data.Length; i++)
            rows.Data[i] = (float)(random.NextDouble() * 2 - 1);
        VectorMath.NormalizeRows(rows.AsSpan(), Dimension);
        return rows;
    }

    /// <summary>A smooth sequence, as video is: each row the previous plus a random step (neighbours' cosine ≈ 0.8).</summary>
    private static EmbeddingMatrix SmoothRows(Random random, int count)
    {
        var steps = RandomRows(random, count);
        for (var i = 1; i < count; i++)
        {
            var row = steps[i];
            var previous = steps[i - 1];
            for (var k = 0; k < Dimension; k++)
                row[k] = 1.3f * previous[k] + row[k];
            VectorMath.NormalizeInPlace(row);
        }
        return steps;
    }

    /// <summary>
    /// Copies the query into <paramref name="candidate"/> from column <paramref name="offset"/>, played at
    /// <paramref name="speed"/> (column j shows query clip floor((j − offset) · speed)), with noise; returns the last column.
    /// </summary>
    private static int Plant(Random random, EmbeddingMatrix query, EmbeddingMatrix candidate, int offset, double speed, float noise = 0.3f)
    {
        var columns = (int)Math.Round(query.Count / speed);
        for (var j = 0; j < columns; j++)
        {
            var source = Math.Min(query.Count - 1, (int)((j + 0.5) * speed));
            var target = candidate[offset + j];
            query[source].CopyTo(target);
            for (var k = 0; k < Dimension; k++)
                target[k] += noise * (float)(random.NextDouble() * 2 - 1) / MathF.Sqrt(Dimension / 3f);
            VectorMath.NormalizeInPlace(target);
        }
        return offset + columns - 1;
    }

    [Theory]
    [InlineData(1.0, 17)]
    [InlineData(0.75, 40)]
    [InlineData(1.5, 5)]
    [InlineData(1.25, 90)]
    [InlineData(0.9, 0)]
    public void Finds_a_query_planted_at_another_speed(double speed, int offset)
    {
        var random = new Random(3 + offset);
        var query = SmoothRows(random, 20);
        var candidate = SmoothRows(random, 120);
        var last = Plant(random, query, candidate, offset, speed);

        var alignments = new TemporalAligner().Align(SimilarityMatrix.Compute(query, candidate));

        var best = Assert.Single(alignments);
        Assert.InRange(best.FirstColumn, offset - 1, offset + 1);
        // Faster than 1x, the candidate skips query clips, so its end is known to a clip or two.
        Assert.InRange(best.LastColumn, last - 2, last + 2);
        Assert.True(best.Score > 0.85, $"score {best.Score}");
    }

    [Fact]
    public void Finds_each_occurrence_once_and_nothing_in_unrelated_content()
    {
        var random = new Random(11);
        var query = SmoothRows(random, 15);
        var candidate = SmoothRows(random, 200);
        var firstEnd = Plant(random, query, candidate, 20, 1.0);
        var secondEnd = Plant(random, query, candidate, 140, 1.25);

        var alignments = new TemporalAligner().Align(SimilarityMatrix.Compute(query, candidate), maxCount: 5, minScore: 0.6);

        Assert.Equal(2, alignments.Count);
        var ordered = alignments.OrderBy(a => a.FirstColumn).ToList();
        Assert.InRange(ordered[0].FirstColumn, 19, 21);
        Assert.InRange(ordered[0].LastColumn, firstEnd - 1, firstEnd + 1);
        Assert.InRange(ordered[1].FirstColumn, 139, 141);
        Assert.InRange(ordered[1].LastColumn, secondEnd - 2, secondEnd + 2);

        var unrelated = new TemporalAligner().Align(SimilarityMatrix.Compute(query, SmoothRows(random, 200)), maxCount: 5, minScore: 0.6);
        Assert.Empty(unrelated);
    }

    [Fact]
    public void A_path_that_changes_speed_scores_lower_on_its_line()
    {
        // Rows 0–5 play at 1x, rows 6–11 at 0.5x, rows 12–17 at 1x again: the path follows every planted cell, the
        // constant-speed line between its ends misses the middle (matches are judged at one speed).
        var random = new Random(5);
        var query = RandomRows(random, 18);
        var candidate = RandomRows(random, 60);
        var column = 5;
        for (var i = 0; i < query.Count; i++)
        {
            var repeats = i is >= 6 and < 12 ? 2 : 1; // slowed down: each clip shown twice
            for (var r = 0; r < repeats; r++)
                query[i].CopyTo(candidate[column++]);
        }
        var similarities = SimilarityMatrix.Compute(query, candidate);

        var best = Assert.Single(new TemporalAligner().Align(similarities));

        Assert.Equal(5, best.FirstColumn);
        Assert.True(best.PathScore > 0.9, $"path score {best.PathScore}");
        Assert.True(best.Score < best.PathScore - 0.2, $"line score {best.Score}, path score {best.PathScore}");
    }

    [Fact]
    public void Speeds_outside_the_range_are_not_reported()
    {
        var random = new Random(8);
        var query = SmoothRows(random, 20);
        var candidate = SmoothRows(random, 100);
        Plant(random, query, candidate, 30, 0.55);
        var similarities = SimilarityMatrix.Compute(query, candidate);

        Assert.NotEmpty(new TemporalAligner(minSpeed: 0.5).Align(similarities, minScore: 0.7));
        Assert.Empty(new TemporalAligner(minSpeed: 0.75).Align(similarities, minScore: 0.7));
    }

    [Fact]
    public void Background_is_the_typical_similarity_not_the_match()
    {
        var random = new Random(2);
        var query = RandomRows(random, 10);
        var candidate = RandomRows(random, 80);
        Plant(random, query, candidate, 10, 1.0, noise: 0);
        var similarities = SimilarityMatrix.Compute(query, candidate);

        Assert.InRange(similarities.Background(), -0.1, 0.1);
        Assert.Equal(1.0, Relocalizer.Calibrate(1.0, 0.4), 6);
        Assert.Equal(0.0, Relocalizer.Calibrate(0.4, 0.4), 6);
        Assert.Equal(0.5, Relocalizer.Calibrate(0.7, 0.4), 6);
    }
}
