using Vireo.Relocalization;
using Vireo.Vectors;

namespace Vireo.Bench;

/// <summary>
/// Re-localization's per-candidate cost without decoding: a 20-s query (10 clips of 2 s, 512-d) against a stored 150-s,
/// 1-h and 10-h video: the similarity matrix, its background, and the alignment (5 matches); and the fine alignment of
/// the same query at 0.5 s (40 units) against a 28-s refinement stretch (56 units).
/// </summary>
internal sealed class RelocalizationBench : IBenchSuite
{
    private const int Dimension = 512;

    public string Name => "relocalization";

    public string Description => "video re-localization: ms per candidate video (similarity matrix, background, alignment) at 150 s / 1 h / 10 h";

    public Task RunAsync(string[] args, BenchReport report)
    {
        var quick = args.Contains("--quick");
        report.Context("setup", $"{Dimension}-d unit embeddings, 2-s clips, 20-s query, default aligner, one thread");
        var random = new Random(42);
        var query = RandomRows(random, 10);
        var aligner = new TemporalAligner();
        foreach (var (label, seconds) in new[] { ("150 s", 150.0), ("1 h", 3600.0), ("10 h", 36_000.0) })
        {
            var candidate = RandomRows(random, (int)(seconds / 2));
            var repeats = quick ? 3 : seconds > 10_000 ? 5 : 20;
            var matrixMs = BenchMachine.MedianMs(repeats, () => SimilarityMatrix.Compute(query, candidate), warmupSeconds: 0.5);
            var similarities = SimilarityMatrix.Compute(query, candidate);
            var backgroundMs = BenchMachine.MedianMs(repeats, similarities.Background, warmupSeconds: 0.2);
            var alignMs = BenchMachine.MedianMs(repeats, () => aligner.Align(similarities, 5, 0.5), warmupSeconds: 0.2);
            report.Add($"{label} ({candidate.Count} clips): similarity matrix", matrixMs, "ms");
            report.Add($"{label}: background (row medians)", backgroundMs, "ms");
            report.Add($"{label}: alignment, 5 matches", alignMs, "ms");
        }
        var fineQuery = RandomRows(random, 40);
        var stretch = RandomRows(random, 56);
        var fineMs = BenchMachine.MedianMs(quick ? 3 : 50, () => aligner.Align(SimilarityMatrix.Compute(fineQuery, stretch)), warmupSeconds: 0.2);
        report.Add("fine alignment (40 x 56 units, matrix included)", fineMs, "ms");
        return Task.CompletedTask;
    }

    private static EmbeddingMatrix RandomRows(Random random, int count)
    {
        var rows = new EmbeddingMatrix(count, Dimension);
        for (var i = 0; i < rows.Data.Length; i++)
            rows.Data[i] = (float)(random.NextDouble() - 0.5);
        VectorMath.NormalizeRows(rows.AsSpan(), Dimension);
        return rows;
    }
}
