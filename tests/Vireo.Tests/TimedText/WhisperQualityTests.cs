using Vireo.Tests.Support;
using Vireo.TimedText.Speech;

namespace Vireo.Tests.TimedText;

/// <summary>
/// Transcription quality on talk.mp4's narration, with a real Whisper model named by VIREO_WHISPER_MODEL (a ggml file
/// such as ggml-base.en.bin, or a pulled model's name). The reference is the video's own subtitle track.
/// </summary>
public class WhisperQualityTests
{
    /// <summary>talk.mp4's subtitle cues: what is said, and when.</summary>
    private static readonly (double Start, double End, string Text)[] Narration =
    [
        (0.3, 7.7, "Welcome. Today I will show you how to bake a loaf of bread in your own kitchen."),
        (8.3, 16.7, "You only need flour, yeast, salt and warm water. Weigh everything before you start."),
        (17.3, 25.7, "Knead the dough for about ten minutes, until it is smooth and springs back when you press it."),
        (26.3, 33.7, "Now leave it in a warm place for an hour. It should double in size."),
        (34.3, 42.7, "Bake the loaf in a very hot oven for thirty five minutes. Let it cool before you slice it."),
        (43.3, 48.7, "That is all for today. Thank you for watching, and happy baking."),
    ];

    private static readonly (string Word, int Cue)[] Keywords =
        [("bread", 0), ("yeast", 1), ("knead", 2), ("dough", 2), ("hour", 3), ("oven", 4), ("watching", 5)];

    [Fact]
    public async Task A_real_model_transcribes_the_narration_with_its_times()
    {
        var configured = Environment.GetEnvironmentVariable("VIREO_WHISPER_MODEL");
        Assert.SkipWhen(string.IsNullOrWhiteSpace(configured),
            "no real Whisper model: set VIREO_WHISPER_MODEL to a ggml file (e.g. ggml-base.en.bin from huggingface.co/ggerganov/whisper.cpp, " +
            "or 'vireo models pull whisper-base.en') to check transcription quality");
        using var model = new SpeechModelStore().Open(configured);

        var transcript = await SpeechChannel.TranscribeAsync(SharedData.Require("data/videos/talk.mp4"), model, cancellationToken: TestContext.Current.CancellationToken);

        SpeechChannelTests.AssertWellFormed(transcript, model.Source);
        Assert.Equal("en", transcript.Language);
        var heard = string.Join(' ', transcript.Entries.Select(e => e.Text));
        var wer = WordErrorRate(string.Join(' ', Narration.Select(n => n.Text)), heard);
        Assert.True(wer <= 0.25, $"word error rate {wer:0.000}; heard: {heard}");
        var words = transcript.Segments.SelectMany(s => s.Words).ToList();
        foreach (var (keyword, cue) in Keywords)
        {
            var (start, end, _) = Narration[cue];
            Assert.Contains(words, w => Normalize(w.Text).Contains(keyword, StringComparison.Ordinal) && w.Start >= start - 1.5 && w.End <= end + 1.5);
        }
    }

    private static string Normalize(string text) =>
        new([.. text.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || char.IsWhiteSpace(c))]);

    /// <summary>Word-level Levenshtein distance over the reference's length, after lowercasing and dropping punctuation.</summary>
    private static double WordErrorRate(string reference, string hypothesis)
    {
        var r = Normalize(reference).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var h = Normalize(hypothesis).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var previous = Enumerable.Range(0, h.Length + 1).ToArray();
        for (var i = 1; i <= r.Length; i++)
        {
            var current = new int[h.Length + 1];
            current[0] = i;
            for (var j = 1; j <= h.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[h.Length] / (double)r.Length;
    }
}
