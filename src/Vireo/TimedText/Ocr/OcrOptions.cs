using Vireo.Media;

namespace Vireo.TimedText.Ocr;

/// <summary>How the on-screen text channel samples and reads a video. The defaults were chosen by measurement (docs/architecture.md, "Timed text: on-screen text").</summary>
public sealed record OcrOptions
{
    /// <summary>Frames sampled per second of video. Text shown for less than one interval may be missed.</summary>
    public double FramesPerSecond { get; init; } = 1;

    /// <summary>
    /// A sampled frame is read only when some 16-pixel cell of its grey picture moved by at least this many levels (0..255)
    /// since the last frame read. Measured at 1 fps: at most 4.6 between frames of one slide of talk.mp4 (encoder noise after a
    /// cut), at least 75 when a slide or a caption appears, changes or goes; real camera footage (charades.mp4) moves 25 to 166.
    /// </summary>
    public double ChangeThreshold { get; init; } = 12;

    /// <summary>Words Tesseract is less sure of than this (0..100) are dropped. Measured: misread words at 54 and below, right ones at 88 and above.</summary>
    public double MinWordConfidence { get; init; } = 60;

    /// <summary>Tesseract's page segmentation mode: 11, sparse text in no particular order (slides, captions, titles anywhere in the frame).</summary>
    public int PageSegmentationMode { get; init; } = 11;

    /// <summary>Tesseract's language data (<c>eng</c>; several as <c>eng+deu</c>, each installed as tesseract-ocr-LANG).</summary>
    public string TesseractLanguage { get; init; } = "eng";

    /// <summary>Frames are scaled so that their shorter side is at least this (small text is read far better at ~2x of 360p)...</summary>
    public int MinShorterSide { get; init; } = 720;

    /// <summary>... and at most this (larger frames cost more to read and gain nothing for text of a legible size).</summary>
    public int MaxShorterSide { get; init; } = 1080;

    /// <summary>One image that Tesseract has not read in this long stops the run with <see cref="TesseractFailedException"/>.</summary>
    public TimeSpan ImageTimeLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The OCR engine; null finds it on PATH or through VIREO_TESSERACT.</summary>
    public TesseractTool? Tesseract { get; init; }

    /// <summary>FFmpeg, which decodes the frames; null finds it on PATH or through VIREO_FFMPEG / VIREO_FFPROBE.</summary>
    public FFmpegTools? FFmpeg { get; init; }
}
