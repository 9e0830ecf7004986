using Vireo.Errors;
using Vireo.Models;
using Vireo.Models.Store;
using Vireo.Tests.Support;
using Vireo.TimedText.Speech;

namespace Vireo.Tests.TimedText;

/// <summary>Whisper models pulled from a local stand-in of the whisper.cpp model repository, and found by name or path.</summary>
public class SpeechModelStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FakeHub WhisperRepository(out byte[] model)
    {
        var hub = new FakeHub(SpeechModelStore.Repository);
        model = File.ReadAllBytes(TestWhisperModels.Multilingual);
        hub.Add("ggml-tiny.bin", model, lfs: true);
        hub.Add("ggml-tiny.en.bin", File.ReadAllBytes(TestWhisperModels.English), lfs: true);
        hub.Add("README.md", "# whisper.cpp models"u8.ToArray(), lfs: false);
        return hub;
    }

    [Theory]
    [InlineData("whisper-base", "ggml-base.bin")]
    [InlineData("whisper-small.en", "ggml-small.en.bin")]
    [InlineData("ggml-large-v3-turbo", "ggml-large-v3-turbo.bin")]
    [InlineData("ggml-tiny.bin", "ggml-tiny.bin")]
    public void Names_map_to_the_repository_files(string name, string file) =>
        Assert.Equal(file, SpeechModelStore.FileNameOf(name));

    [Fact]
    public void Speech_model_names_are_told_apart_from_hub_repositories()
    {
        Assert.True(SpeechModelStore.IsSpeechModelName("whisper-base"));
        Assert.True(SpeechModelStore.IsSpeechModelName("ggml-base.en"));
        Assert.False(SpeechModelStore.IsSpeechModelName("Xenova/clip-vit-base-patch32"));
    }

    [Fact]
    public async Task Pull_downloads_verifies_and_resumes_then_resolves_by_name()
    {
        using var hub = WhisperRepository(out var model);
        using var http = new HttpClient();
        var store = new SpeechModelStore(TestVideos.NewPath("models"));
        hub.BreakOnce.Add("ggml-tiny.bin");

        var broken = await Assert.ThrowsAsync<ModelDownloadException>(() => store.PullAsync(new HubClient(http, hub.Endpoint), "whisper-tiny", cancellationToken: Ct));
        Assert.Contains("run the same command again to resume", broken.Message, StringComparison.Ordinal);
        var path = await store.PullAsync(new HubClient(http, hub.Endpoint), "whisper-tiny", cancellationToken: Ct);

        Assert.Equal(model, await File.ReadAllBytesAsync(path, Ct));
        Assert.Contains(hub.RangeRequests, r => r.StartsWith("ggml-tiny.bin bytes=", StringComparison.Ordinal));
        Assert.Equal(path, store.Resolve(null));
        Assert.Equal(path, store.Resolve("whisper-tiny"));
        using var opened = store.Open("ggml-tiny");
        Assert.Equal("tiny", opened.Name);
        Assert.True(store.Remove("whisper-tiny"));
        Assert.Empty(store.List());
    }

    [Fact]
    public async Task A_tampered_download_is_rejected()
    {
        using var hub = WhisperRepository(out _);
        using var http = new HttpClient();
        var store = new SpeechModelStore(TestVideos.NewPath("models"));
        hub.Tamper.Add("ggml-tiny.en.bin");

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => store.PullAsync(new HubClient(http, hub.Endpoint), "whisper-tiny.en", cancellationToken: Ct));

        Assert.Contains("checksum mismatch", error.Message, StringComparison.Ordinal);
        Assert.Empty(store.List());
    }

    [Fact]
    public async Task An_unknown_size_names_what_the_repository_has()
    {
        using var hub = WhisperRepository(out _);
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() =>
            new SpeechModelStore(TestVideos.NewPath("models")).PullAsync(new HubClient(http, hub.Endpoint), "whisper-huge", cancellationToken: Ct));

        Assert.Contains("available: whisper-tiny, whisper-tiny.en", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_model_the_channel_says_how_to_get_one()
    {
        var store = new SpeechModelStore(TestVideos.NewPath("models"));

        var error = Assert.Throws<ModelNotFoundException>(() => store.Resolve(null));
        Assert.Equal(ErrorKind.Dependency, error.Kind);
        Assert.Contains("vireo models pull whisper-base", error.Message, StringComparison.Ordinal);
        Assert.Contains("--speech-model", error.Message, StringComparison.Ordinal);
        Assert.Throws<ModelNotFoundException>(() => store.Resolve("whisper-base"));
    }

    [Fact]
    public void A_path_to_a_ggml_file_is_used_as_it_is()
    {
        var store = new SpeechModelStore(TestVideos.NewPath("models"));

        Assert.Equal(TestWhisperModels.English, store.Resolve(TestWhisperModels.English));
    }
}
