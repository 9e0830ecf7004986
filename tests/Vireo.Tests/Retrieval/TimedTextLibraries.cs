using Vireo.Embedding;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;
using Vireo.Tests.Support;
using Vireo.TimedText;

namespace Vireo.Tests.Retrieval;

/// <summary>
/// The shared videos (talk.mp4 with its English subtitle track and slides, charades.mp4, demo.mp4) indexed once per run
/// with the tiny random model (its visual scores mean nothing: the words must do the finding), with subtitles, and with
/// subtitles and on-screen text.
/// </summary>
internal static class TimedTextLibraries
{
    private static readonly Lazy<Task<string>> Subtitles = new(() => IndexAsync([TextChannel.Subtitles]));
    private static readonly Lazy<Task<string>> SubtitlesAndOcr = new(() => IndexAsync([TextChannel.Subtitles, TextChannel.Ocr]));

    public static string Videos => SharedData.Require("data/videos/talk.mp4") is { } talk ? Path.GetDirectoryName(talk)! : "";

    public static Task<string> WithSubtitlesAsync() => Subtitles.Value;

    public static Task<string> WithSubtitlesAndOcrAsync() => SubtitlesAndOcr.Value;

    public static async Task<EmbeddingModel> TinyModelAsync() =>
        EmbeddingModel.Load((await TestModels.TinyHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 1 });

    private static async Task<string> IndexAsync(HashSet<TextChannel> channels)
    {
        var videos = Videos;
        var directory = TestVideos.NewPath("timed-text-library");
        using var model = await TinyModelAsync();
        var report = await new LibraryIngest(VideoLibrary.Open(directory), model, new IngestOptions { Channels = channels }).RunAsync([videos]);
        if (report.Failures.Count > 0 || report.ChannelFailures.Count > 0)
            throw new InvalidOperationException("indexing the shared videos failed: " + string.Join("; ", report.Failures.Select(f => f.Error).Concat(report.ChannelFailures)));
        return directory;
    }
}
