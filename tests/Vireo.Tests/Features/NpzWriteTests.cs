using Vireo.Research.Features;
using Vireo.Tests.Support;

namespace Vireo.Tests.Features;

/// <summary><see cref="NpzFile.WriteAsync"/>: numpy.savez's layout, written whole.</summary>
public class NpzWriteTests
{
    [Fact]
    public async Task Arrays_read_back_with_their_keys_shapes_and_values()
    {
        var path = TestVideos.NewPath("written.npz");
        float[] hidden = [1.5f, -2.25f, 3e-8f, 65504f, -0f, 7f];
        await NpzFile.WriteAsync(path, [("last_hidden_state", new FeatureArray(hidden, [3, 2])), ("pooler_output", new FeatureArray([0.5f, 4f], [2]))],
            cancellationToken: Frames.Ct);

        var arrays = await NpzFile.ReadAllAsync(path, Frames.Ct);
        Assert.Equal(["last_hidden_state", "pooler_output"], arrays.Keys.Order());
        Assert.Equal([3, 2], arrays["last_hidden_state"].Shape);
        Assert.Equal("<f4", arrays["last_hidden_state"].SourceDType);
        Assert.Equal(hidden, arrays["last_hidden_state"].Data);
        Assert.Equal([2], arrays["pooler_output"].Shape);
        Assert.Equal([0.5f, 4f], arrays["pooler_output"].Data);
    }

    [Fact]
    public async Task Writing_replaces_the_file_and_leaves_no_temporary_file()
    {
        var folder = TestVideos.NewPath("npz-folder");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "video.npz");
        await NpzFile.WriteAsync(path, [(NpzFile.FeaturesKey, new FeatureArray(new float[8], [4, 2]))], cancellationToken: Frames.Ct);
        await NpzFile.WriteAsync(path, [(NpzFile.FeaturesKey, new FeatureArray([1f, 2f], [1, 2]))], half: true, cancellationToken: Frames.Ct);

        var features = await NpzFile.ReadAsync(path, cancellationToken: Frames.Ct);
        Assert.Equal([1, 2], features.Shape);
        Assert.Equal("<f2", features.SourceDType);
        Assert.Equal(["video.npz"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_cancelled_write_keeps_what_was_there()
    {
        var folder = TestVideos.NewPath("npz-cancel");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "video.npz");
        await NpzFile.WriteAsync(path, [(NpzFile.FeaturesKey, new FeatureArray([3f], [1, 1]))], cancellationToken: Frames.Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            NpzFile.WriteAsync(path, [(NpzFile.FeaturesKey, new FeatureArray([9f], [1, 1]))], cancellationToken: cancelled.Token));

        var kept = await NpzFile.ReadAsync(path, cancellationToken: Frames.Ct);
        Assert.Equal([3f], kept.Data);
        Assert.Single(Directory.GetFiles(folder));
    }
}
