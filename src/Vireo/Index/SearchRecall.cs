namespace Vireo.Index;

/// <summary>How much of an exact answer an approximate search returns (to tune probes, or check an index).</summary>
public static class SearchRecall
{
    /// <summary>Mean over queries of the fraction of the exact hits' ids that the approximate hits contain
    /// (recall@k when both are top-k lists); a query with no exact hit counts as fully recalled.</summary>
    public static double Mean(IReadOnlyList<IReadOnlyList<VectorHit>> exact, IReadOnlyList<IReadOnlyList<VectorHit>> approximate)
    {
        ArgumentNullException.ThrowIfNull(exact);
        ArgumentNullException.ThrowIfNull(approximate);
        if (exact.Count != approximate.Count)
            throw new ArgumentException($"{exact.Count} exact answers but {approximate.Count} approximate ones", nameof(approximate));
        if (exact.Count == 0)
            return 1;
        var sum = 0.0;
        var expected = new HashSet<long>();
        for (var q = 0; q < exact.Count; q++)
        {
            expected.Clear();
            foreach (var hit in exact[q])
                expected.Add(hit.Id);
            if (expected.Count == 0)
            {
                sum += 1;
                continue;
            }
            var found = 0;
            foreach (var hit in approximate[q])
                found += expected.Contains(hit.Id) ? 1 : 0;
            sum += (double)found / expected.Count;
        }
        return sum / exact.Count;
    }
}
