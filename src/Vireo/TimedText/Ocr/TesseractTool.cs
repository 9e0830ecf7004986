using Vireo.Media;

namespace Vireo.TimedText.Ocr;

/// <summary>
/// Where the tesseract executable is: looked up on PATH, or the full path in the environment variable VIREO_TESSERACT.
/// </summary>
public sealed record TesseractTool(string ExecutablePath)
{
    internal const string InstallHint =
        "Install Tesseract 5 with its English data (Debian/Ubuntu: apt-get install tesseract-ocr; Fedora: dnf install tesseract; " +
        "macOS: brew install tesseract; Windows: winget install UB-Mannheim.TesseractOCR) or set VIREO_TESSERACT to the executable.";

    private static readonly Lazy<TesseractTool> LazyDefault = new(Locate);

    /// <summary>The tool found on PATH or named by the environment, resolved once per process.</summary>
    public static TesseractTool Default => LazyDefault.Value;

    /// <summary>Looks the tool up now.</summary>
    public static TesseractTool Locate() => new(FFmpegTools.Resolve("VIREO_TESSERACT", "tesseract"));

    /// <summary>Throws <see cref="TesseractNotFoundException"/> unless the executable exists.</summary>
    public void EnsureAvailable()
    {
        if (!File.Exists(ExecutablePath))
            throw new TesseractNotFoundException(ExecutablePath);
    }
}
