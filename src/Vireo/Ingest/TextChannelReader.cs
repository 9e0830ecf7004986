using Vireo.Errors;
using Vireo.Media;
using Vireo.Models;
using Vireo.Models.Sentences;
using Vireo.TimedText;
using Vireo.TimedText.Ocr;
using Vireo.TimedText.Speech;
using Vireo.TimedText.Subtitles;

namespace Vireo.Ingest;

/// <summary>
/// What the text channels read in one video: the channels that were read (found text or not), their entries with their
/// sentence vectors (one row per entry), and the channels that failed.
/// </summary>
internal sealed record ChannelText(IReadOnlyCollection<TextChannel> Read, IReadOnlyList<TimedTextEntry> Entries, float[]? Vectors, IReadOnlyList<string> Failures);

/// <summary>
/// Reads the timed-text channels an ingest run asks for (<see cref="IngestOptions.Channels"/>) in one video. A channel
/// that fails on a video is reported and left unread (tried again on the next run); a missing or broken engine
/// (a <see cref="ErrorKind.Dependency"/> error) and cancellation stop the run. Every entry read is embedded with the
/// shipped sentence model, so it is searchable by meaning from the moment it is committed.
/// </summary>
internal sealed class TextChannelReader(IngestOptions options) : IDisposable
{
    private SpeechModel? _speech;
    private SentenceEncoder? _sentences;

    /// <summary>The sentence encoder, opened on first use (one thread: it runs beside the picture encoder).</summary>
    public SentenceEncoder Sentences => _sentences ??= new SentenceEncoder(SentenceModel.Default, intraOpThreads: 1);

    /// <summary>Checks, before anything is written, that every channel asked for can be read on this machine (and opens the speech model).</summary>
    /// <exception cref="TesseractNotFoundException">The ocr channel is asked for and Tesseract is not installed.</exception>
    /// <exception cref="ModelException">The speech channel is asked for and there is no usable Whisper model.</exception>
    public void EnsureAvailable()
    {
        if (options.Channels.Contains(TextChannel.Ocr))
            (options.Ocr.Tesseract ?? TesseractTool.Default).EnsureAvailable();
        if (options.Channels.Contains(TextChannel.Speech))
            _speech ??= new SpeechModelStore().Open(options.SpeechModel);
    }

    public void Dispose()
    {
        _speech?.Dispose();
        _sentences?.Dispose();
    }

    /// <summary>Reads <paramref name="channels"/> in the video at <paramref name="path"/> (<paramref name="media"/> saves probing it again).</summary>
    public async Task<ChannelText> ReadAsync(string path, IReadOnlyCollection<TextChannel> channels, MediaInfo? media, CancellationToken cancellationToken)
    {
        var read = new List<TextChannel>(channels.Count);
        var entries = new List<TimedTextEntry>();
        var failures = new List<string>();
        foreach (var channel in channels.Order())
        {
            try
            {
                entries.AddRange(await ReadChannelAsync(path, channel, media, cancellationToken).ConfigureAwait(false));
                read.Add(channel);
            }
            catch (Exception e) when (e is not OperationCanceledException && ErrorKinds.Of(e) != ErrorKind.Dependency)
            {
                failures.Add($"{path}: {channel.ToString().ToLowerInvariant()}: {e.Message}");
            }
        }
        var vectors = entries.Count > 0 ? Sentences.Encode(entries.ConvertAll(e => e.Text), cancellationToken) : null;
        return new ChannelText(read, entries, vectors, failures);
    }

    private async Task<IReadOnlyList<TimedTextEntry>> ReadChannelAsync(string path, TextChannel channel, MediaInfo? media, CancellationToken ct) => channel switch
    {
        TextChannel.Subtitles => (await SubtitleChannel.ReadAsync(path, media, options.Subtitles, ct).ConfigureAwait(false)).Entries,
        TextChannel.Ocr => (await OcrChannel.ReadAsync(path, options.Ocr, null, ct).ConfigureAwait(false)).Entries,
        TextChannel.Speech => (await SpeechChannel.TranscribeAsync(path, _speech ?? throw new InvalidOperationException("EnsureAvailable opens the speech model first"),
            options.Speech, null, ct).ConfigureAwait(false)).Entries,
        _ => throw new UsageException($"the {channel} channel cannot be indexed"),
    };
}
