using Vireo.Models;
using Vireo.Models.Store;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

public class HubClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FakeHub HubWithModel(out byte[] weights)
    {
        var hub = new FakeHub("Owner/tiny-clip");
        weights = new byte[300_000];
        new Random(1).NextBytes(weights);
        hub.Add("onnx/text_model.onnx", weights, lfs: true);
        hub.Add("onnx/vision_model.onnx", [.. weights.Reverse()], lfs: true);
        hub.Add("onnx/text_model_quantized.onnx", [1, 2, 3], lfs: true);
        hub.Add("onnx/model.onnx", [4, 5, 6], lfs: true);
        hub.Add("onnx/model_quantized.onnx", [4, 5], lfs: true);
        hub.Add("config.json", "{\"projection_dim\": 32}"u8.ToArray(), lfs: false);
        hub.Add("tokenizer.json", "{}"u8.ToArray(), lfs: false);
        hub.Add("pytorch_model.bin", [7, 8], lfs: true);
        hub.Add("README.md", "# tiny"u8.ToArray(), lfs: false);
        return hub;
    }

    [Fact]
    public async Task Lists_files_with_their_checksums()
    {
        using var hub = HubWithModel(out _);
        using var http = new HttpClient();
        var files = await new HubClient(http, hub.Endpoint).ListFilesAsync("Owner/tiny-clip", cancellationToken: Ct);

        Assert.Equal(9, files.Count);
        var weights = files.Single(f => f.Path == "onnx/text_model.onnx");
        Assert.Equal(300_000, weights.Size);
        Assert.Equal(64, weights.Sha256!.Length);
        Assert.Equal(40, files.Single(f => f.Path == "config.json").GitBlobSha1!.Length);
    }

    [Fact]
    public async Task Selection_takes_the_variant_towers_and_side_files_only()
    {
        using var hub = HubWithModel(out _);
        using var http = new HttpClient();
        var files = await new HubClient(http, hub.Endpoint).ListFilesAsync("Owner/tiny-clip", cancellationToken: Ct);

        var selected = HubFileSelection.Select(files, ModelVariant.Default).Select(f => f.Path).Order(StringComparer.Ordinal);
        Assert.Equal(["config.json", "onnx/text_model.onnx", "onnx/vision_model.onnx", "tokenizer.json"], selected);
        var quantized = HubFileSelection.Select(files, ModelVariant.Quantized).Select(f => f.Path).Order(StringComparer.Ordinal);
        Assert.Equal(["config.json", "onnx/model_quantized.onnx", "onnx/text_model_quantized.onnx", "tokenizer.json"], quantized);
    }

    [Fact]
    public async Task Downloads_verify_and_resume_after_a_broken_connection()
    {
        using var hub = HubWithModel(out var weights);
        using var http = new HttpClient();
        var client = new HubClient(http, hub.Endpoint);
        var files = HubFileSelection.Select(await client.ListFilesAsync("Owner/tiny-clip", cancellationToken: Ct), ModelVariant.Default);
        var folder = TestVideos.NewPath("download");
        hub.BreakOnce.Add("onnx/text_model.onnx");

        var broken = await Assert.ThrowsAsync<ModelDownloadException>(() => client.DownloadAsync("Owner/tiny-clip", files, folder, cancellationToken: Ct));
        Assert.Contains("run the same command again to resume", broken.Message, StringComparison.Ordinal);
        var partial = Path.Combine(folder, "onnx", "text_model.onnx.partial");
        Assert.True(File.Exists(partial));
        Assert.InRange(new FileInfo(partial).Length, 1, weights.Length - 1);

        var reports = new List<DownloadProgress>();
        await client.DownloadAsync("Owner/tiny-clip", files, folder, progress: new SynchronousProgress<DownloadProgress>(reports.Add), cancellationToken: Ct);

        Assert.Equal(weights, await File.ReadAllBytesAsync(Path.Combine(folder, "onnx", "text_model.onnx"), Ct));
        Assert.False(File.Exists(partial));
        Assert.Contains(hub.RangeRequests, r => r.StartsWith("onnx/text_model.onnx bytes=", StringComparison.Ordinal));
        Assert.Equal(files.Sum(f => f.Size), reports[^1].TotalBytes);
    }

    [Fact]
    public async Task A_file_that_does_not_match_its_checksum_is_rejected_and_removed()
    {
        using var hub = HubWithModel(out _);
        using var http = new HttpClient();
        var client = new HubClient(http, hub.Endpoint);
        var files = HubFileSelection.Select(await client.ListFilesAsync("Owner/tiny-clip", cancellationToken: Ct), ModelVariant.Default);
        var folder = TestVideos.NewPath("tampered");
        hub.Tamper.Add("onnx/vision_model.onnx");

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => client.DownloadAsync("Owner/tiny-clip", files, folder, cancellationToken: Ct));

        Assert.Contains("checksum mismatch", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "onnx", "vision_model.onnx")));
        Assert.False(File.Exists(Path.Combine(folder, "onnx", "vision_model.onnx.partial")));
    }

    [Fact]
    public async Task Offline_is_a_clear_error()
    {
        using var http = new HttpClient();
        var client = new HubClient(http, new Uri($"http://127.0.0.1:{FakeHub.FreePort()}/"));

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => client.ListFilesAsync("Xenova/clip-vit-base-patch32", cancellationToken: Ct));
        Assert.Contains("are you offline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_repository_is_a_clear_error()
    {
        using var hub = HubWithModel(out _);
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => new HubClient(http, hub.Endpoint).ListFilesAsync("Nobody/nothing", cancellationToken: Ct));
        Assert.Contains("no public repository", error.Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
