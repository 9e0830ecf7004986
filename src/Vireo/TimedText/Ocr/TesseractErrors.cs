using Vireo.Errors;

namespace Vireo.TimedText.Ocr;

/// <summary>The tesseract executable could not be found or started (<see cref="ErrorKind.Dependency"/>).</summary>
public sealed class TesseractNotFoundException(string executable, string? detail = null)
    : VireoException(ErrorKind.Dependency,
        $"'{executable}' was not found{(detail is null ? "" : " (" + detail + ")")}: on-screen text needs Tesseract. {TesseractTool.InstallHint}",
        executable, "Tesseract (the OCR engine) is not installed")
{
    public string Executable { get; } = executable;
}

/// <summary>
/// Tesseract ran but failed (a broken installation, missing language data, a wrong VIREO_TESSERACT): the machine's
/// fault, not the video's, so a <see cref="ErrorKind.Dependency"/>. Carries Tesseract's own words.
/// </summary>
public sealed class TesseractFailedException(string executable, int exitCode, string? toolMessage)
    : VireoException(ErrorKind.Dependency,
        $"Tesseract ('{executable}') exited with code {exitCode}" +
        (string.IsNullOrWhiteSpace(toolMessage) ? "" : $": {toolMessage.Trim()}") + ". " + TesseractTool.InstallHint,
        executable, $"Tesseract exited with code {exitCode}")
{
    public string Executable { get; } = executable;

    public int ExitCode { get; } = exitCode;

    /// <summary>What Tesseract wrote on standard error, when anything.</summary>
    public string? ToolMessage { get; } = string.IsNullOrWhiteSpace(toolMessage) ? null : toolMessage.Trim();
}
