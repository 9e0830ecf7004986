using Vireo.Media;

namespace Vireo.TimedText.Ocr;

/// <summary>
/// The on-screen text channel: samples a video's frames, reads the ones whose picture changed with Tesseract, and merges
/// consecutive identical text into timed spans. Frames stream through one at a time, so memory does not grow with the video.
/// </summary>
public static class OcrChannel
{
    /// <summary>Reads the text shown in <paramref name="videoPath"/>.</summary>
    /// <exception cref="TesseractNotFoundException">Tesseract is not installed (checked before the video is decoded).</exception>
    /// <exception cref="TesseractFailedException">Tesseract ran but failed.</exception>
    /// <exception cref="MediaException">The video cannot be read.</exception>
    public static async Task<OcrReading> ReadAsync(
        string videoPath, OcrOptions? options = null, IProgress<OcrProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new OcrOptions();
        var tool = options.Tesseract ?? TesseractTool.Default;
        tool.EnsureAvailable();
        var info = await MediaProbe.ProbeVideoAsync(videoPath, tools: options.FFmpeg, cancellationToken: cancellationToken).ConfigureAwait(false);
        var sampling = FrameSampling.AtRate(options.FramesPerSecond);
        var samplerOptions = new FrameSamplerOptions { Size = FrameSizeFor(info, options), Tools = options.FFmpeg };

        var runner = new TesseractRunner(tool, options.TesseractLanguage, options.PageSegmentationMode, options.ImageTimeLimit);
        var detector = new FrameChangeDetector(options.ChangeThreshold);
        var spans = new OcrSpanBuilder(sampling.Interval, language: null);
        var sampled = 0;
        await foreach (var frame in FrameSampler.SampleAsync(info, sampling, samplerOptions, cancellationToken).ConfigureAwait(false))
        {
            using (frame)
            {
                sampled++;
                if (detector.HasChanged(frame, out var cells))
                {
                    var text = await ReadFrameAsync(runner, frame, options.MinWordConfidence, cancellationToken).ConfigureAwait(false);
                    detector.Accept(frame, cells);
                    spans.Read(frame.Timestamp, text);
                }
                else
                {
                    spans.Unchanged(frame.Timestamp);
                }
                progress?.Report(new OcrProgress(Math.Min(frame.Timestamp + sampling.Interval, info.Duration), info.Duration, sampled, runner.Calls));
            }
        }
        spans.Finish(info.Duration);
        return new OcrReading(spans.Entries, info.Duration, sampled, runner.Calls);
    }

    private static async Task<RecognizedText> ReadFrameAsync(TesseractRunner runner, VideoFrame frame, double minConfidence, CancellationToken ct)
    {
        var layer = TextLayer.Extract(frame);
        if (layer is null)
            return RecognizedText.None;
        var words = await runner.ReadWordsAsync(layer, ct).ConfigureAwait(false);
        return RecognizedText.FromWords(words, minConfidence);
    }

    /// <summary>The frame size to sample at: the video's own, its shorter side brought into [min, max].</summary>
    internal static FrameSize FrameSizeFor(MediaInfo info, OcrOptions options)
    {
        var video = info.PrimaryVideo!;
        var shorter = Math.Min(video.DisplayWidth, video.DisplayHeight);
        var target = Math.Clamp(shorter, options.MinShorterSide, Math.Max(options.MinShorterSide, options.MaxShorterSide));
        return target == shorter ? FrameSize.Original : FrameSize.ShorterSide(target);
    }
}
