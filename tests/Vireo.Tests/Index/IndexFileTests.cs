using Vireo.Index;
using Vireo.Tests.Support;
using static Vireo.Tests.Index.IndexTestData;

namespace Vireo.Tests.Index;

public class IndexFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IvfIndex SmallIvf(out float[] queries)
    {
        var (data, q) = Clustered(3000, 32, topics: 12, queries: 20, seed: 31);
        queries = q;
        return IvfIndex.Build(32, Ids(3000, first: -1500), data, new IvfOptions { Lists = 24, Probes = 3 });
    }

    [Fact]
    public async Task Ivf_round_trip_answers_the_same()
    {
        using var folder = new TempFolder();
        var index = SmallIvf(out var queries);
        index.Remove([-1500, 7]);
        await index.SaveAsync(folder.File("lib.vix"), Ct);

        var loaded = Assert.IsType<IvfIndex>(await VectorIndex.LoadAsync(folder.File("lib.vix"), 32, Ct));

        Assert.Equal((index.Dimension, index.Count, index.ListCount, index.TrainedCount, index.DefaultProbes),
            (loaded.Dimension, loaded.Count, loaded.ListCount, loaded.TrainedCount, loaded.DefaultProbes));
        Assert.Equal(index.SearchBatch(queries, 10), loaded.SearchBatch(queries, 10));
        Assert.Equal(index.SearchBatch(queries, 5, new VectorSearchOptions { Probes = 24 }), loaded.SearchBatch(queries, 5, new VectorSearchOptions { Probes = 24 }));
        Assert.Equal([Path.GetFileName(folder.File("lib.vix"))], Directory.GetFiles(folder.Path).Select(Path.GetFileName));

        // The loaded index keeps working: add after load, save over the old file, load again.
        loaded.Add([99_999], queries.AsSpan(0, 32));
        await loaded.SaveAsync(folder.File("lib.vix"), Ct);
        var again = await VectorIndex.LoadAsync(folder.File("lib.vix"), cancellationToken: Ct);
        Assert.Equal(99_999, again.Search(queries.AsSpan(0, 32), 1)[0].Id);
        Assert.Equal(index.Count + 1, again.Count);
    }

    [Fact]
    public async Task Exact_and_empty_indexes_round_trip()
    {
        using var folder = new TempFolder();
        var vectors = GridVectors(ExactIndex.ChunkRows + 10, 12, seed: 1);
        var exact = new ExactIndex(12);
        exact.Add(Ids(ExactIndex.ChunkRows + 10), vectors);
        await exact.SaveAsync(folder.File("exact.vix"), Ct);
        await new ExactIndex(7).SaveAsync(folder.File("empty.vix"), Ct);

        var loaded = Assert.IsType<ExactIndex>(await VectorIndex.LoadAsync(folder.File("exact.vix"), cancellationToken: Ct));
        var empty = await VectorIndex.LoadAsync(folder.File("empty.vix"), cancellationToken: Ct);

        var query = GridVectors(1, 12, seed: 2);
        Assert.Equal(exact.Search(query, 25), loaded.Search(query, 25));
        Assert.Equal(exact.Count, loaded.Count);
        Assert.Equal((7, 0), (empty.Dimension, empty.Count));
        Assert.Empty(empty.Search(new float[7], 3));
    }

    [Fact]
    public async Task A_file_of_another_dimension_is_a_clear_mismatch()
    {
        using var folder = new TempFolder();
        var index = new ExactIndex(512);
        index.Add([1], new float[512]);
        await index.SaveAsync(folder.File("clip.vix"), Ct);

        var error = await Assert.ThrowsAsync<DimensionMismatchException>(() => VectorIndex.LoadAsync(folder.File("clip.vix"), 768, Ct));

        Assert.Equal((768, 512), (error.Expected, error.Actual));
        Assert.Contains("clip.vix", error.Message);
    }

    [Fact]
    public async Task Truncated_damaged_foreign_and_missing_files_are_reported_with_their_name()
    {
        using var folder = new TempFolder();
        var index = SmallIvf(out _);
        var path = folder.File("good.vix");
        await index.SaveAsync(path, Ct);
        var bytes = await File.ReadAllBytesAsync(path, Ct);

        async Task<IndexFileException> Broken(string name, byte[] content)
        {
            var file = folder.File(name);
            await File.WriteAllBytesAsync(file, content, Ct);
            var error = await Assert.ThrowsAsync<IndexFileException>(() => VectorIndex.LoadAsync(file, cancellationToken: Ct));
            Assert.Equal(file, error.FilePath);
            Assert.Contains(name, error.Message);
            return error;
        }

        Assert.Contains("truncated", (await Broken("cut.vix", bytes[..(bytes.Length - 100)])).Reason);
        Assert.Contains("truncated", (await Broken("stub.vix", bytes[..20])).Reason);
        Assert.Contains("unexpected bytes", (await Broken("long.vix", [.. bytes, 0])).Reason);
        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x10; // a float16 vector value
        Assert.Contains("checksum", (await Broken("flipped.vix", flipped)).Reason);
        var header = (byte[])bytes.Clone();
        header[16] ^= 1; // the dimension
        Assert.Contains("header", (await Broken("header.vix", header)).Reason);
        Assert.Contains("magic", (await Broken("text.vix", "not an index at all, just some text here......................"u8.ToArray())).Reason);
        Assert.Contains("not found", (await Assert.ThrowsAsync<IndexFileException>(() => VectorIndex.LoadAsync(folder.File("missing.vix"), cancellationToken: Ct))).Reason);
    }

    [Fact]
    public async Task A_cancelled_save_leaves_the_previous_file_and_no_temporary()
    {
        using var folder = new TempFolder();
        var path = folder.File("lib.vix");
        var small = new ExactIndex(8);
        small.Add([1, 2], GridVectors(2, 8, seed: 1));
        await small.SaveAsync(path, Ct);
        var before = await File.ReadAllBytesAsync(path, Ct);

        var large = new ExactIndex(8);
        large.Add(Ids(50_000), GridVectors(50_000, 8, seed: 2));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => large.SaveAsync(path, cancelled.Token));

        Assert.Equal(before, await File.ReadAllBytesAsync(path, Ct));
        Assert.Single(Directory.GetFiles(folder.Path));
    }
}
