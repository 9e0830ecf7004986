using Vireo.TimedText.Ocr;

namespace Vireo.Tests.TimedText;

/// <summary>
/// Tests that run Tesseract call <see cref="Require"/>: skipped with a message where it is not installed, failed under CI
/// (where ./test.sh installs it). They share one collection, so none runs while another changes VIREO_TESSERACT.
/// </summary>
public static class Tesseract
{
    public const string Collection = "Tesseract";

    public static TesseractTool Require()
    {
        var tool = TesseractTool.Locate();
        if (File.Exists(tool.ExecutablePath))
            return tool;
        var message = "Tesseract is not installed (apt-get install tesseract-ocr, or set VIREO_TESSERACT); this test reads on-screen text";
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            Assert.Fail(message + " and CI must have it (./test.sh installs it)");
        Assert.Skip(message);
        return tool;
    }
}

[CollectionDefinition(Tesseract.Collection, DisableParallelization = true)]
public sealed class TesseractTests;
