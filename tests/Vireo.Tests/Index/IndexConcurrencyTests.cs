using Vireo.Index;
using static Vireo.Tests.Index.IndexTestData;

namespace Vireo.Tests.Index;

/// <summary>
/// One writer replaces whole groups of 10 vectors (a "video") while readers list everything: every answer must be
/// one state of the index, so every group is complete and the count is a multiple of 10.
/// </summary>
public class IndexConcurrencyTests
{
    private const int Dimension = 16;
    private const int Group = 10;

    public static TheoryData<string> Kinds => ["exact", "ivf", "adaptive"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Searches_during_writes_see_whole_writes(string kind)
    {
        var (data, _) = Clustered(4000, Dimension, topics: 8, queries: 1, seed: 51);
        var ids = Ids(4000);
        IVectorIndex index = kind switch
        {
            "exact" => new ExactIndex(Dimension),
            "ivf" => IvfIndex.Build(Dimension, ids, data, new IvfOptions { Lists = 8, Probes = 8 }, cancellationToken: TestContext.Current.CancellationToken),
            _ => new AdaptiveIndex(Dimension, new AdaptiveIndexOptions { IvfThreshold = 2000, RetrainGrowth = 1.5, Ivf = new IvfOptions { Lists = 8, Probes = 8 } }),
        };
        if (kind != "ivf")
            index.Add(ids.AsSpan(0, 1000), data.AsSpan(0, 1000 * Dimension));
        var query = new float[Dimension];
        query[0] = 1;
        using var stop = new CancellationTokenSource();
        var searches = 0;

        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var hits = index.Search(query, 10_000);
                Assert.Equal(0, hits.Count % Group);
                foreach (var group in hits.GroupBy(h => h.Id / Group))
                    Assert.Equal(Group, group.Count());
                Interlocked.Increment(ref searches);
            }
        })).ToArray();

        var random = new Random(1);
        var nextGroup = 400L;
        // At least 150 writes, and go on until the readers have searched between writes a fair number of times.
        for (var step = 0; step < 150 || (Volatile.Read(ref searches) < 50 && step < 100_000 && !readers.Any(r => r.IsCompleted)); step++)
        {
            var source = random.Next(4000 / Group) * Group;
            var rows = data.AsSpan(source * Dimension, Group * Dimension);
            switch (step % 3)
            {
                case 0 when nextGroup < 600: // at most 6,000 vectors: every search below lists them all
                    index.Add(Ids(Group, nextGroup++ * Group), rows);
                    break;
                case 1:
                    var victim = random.Next(100);
                    index.RemoveWhere(id => id / Group == victim);
                    break;
                default:
                    var replaced = random.Next(100, 300);
                    index.Replace(id => id / Group == replaced, Ids(Group, replaced * Group), rows);
                    break;
            }
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.True(searches > 0);
        Assert.Equal(0, index.Count % Group);
    }
}
