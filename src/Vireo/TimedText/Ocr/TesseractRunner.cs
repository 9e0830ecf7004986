using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Vireo.TimedText.Ocr;

/// <summary>
/// Runs tesseract on one image, the way Vireo runs FFmpeg: an argument list (no shell), the image on standard input,
/// TSV on standard output, standard error kept for the error message; the process is killed when the caller cancels or
/// it exceeds the time limit, and always reaped.
/// </summary>
internal sealed class TesseractRunner(TesseractTool tool, string language, int pageSegmentationMode, TimeSpan timeLimit)
{
    private const int KeptErrorChars = 2000;

    /// <summary>How many images were read.</summary>
    public int Calls { get; private set; }

    public async Task<List<OcrWord>> ReadWordsAsync(GreyImage image, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var process = Start();
        Calls++;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeLimit);
        await using var killOnCancel = limit.Token.Register(static state => Kill((Process)state!), process);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            await WriteImageAsync(process, image).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            var tsv = await output.ConfigureAwait(false);
            var stderr = await errors.ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (limit.IsCancellationRequested)
                throw new TesseractFailedException(tool.ExecutablePath, -1, $"no result after {timeLimit.TotalSeconds:0} s; stopped");
            if (process.ExitCode != 0)
                throw new TesseractFailedException(tool.ExecutablePath, process.ExitCode, Tail(stderr));
            return TesseractTsv.ParseWords(tsv);
        }
        finally
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private Process Start()
    {
        var info = new ProcessStartInfo(tool.ExecutablePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in new[] { "stdin", "stdout", "-l", language, "--psm", pageSegmentationMode.ToString(CultureInfo.InvariantCulture), "tsv" })
            info.ArgumentList.Add(argument);
        // Tesseract's OpenMP threads make one small image 2.6x slower on a busy 2-core machine (measured: 6 slides in
        // 3.8 s instead of 1.4 s); parallelism comes from the pipeline instead.
        info.Environment["OMP_THREAD_LIMIT"] = "1";
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new TesseractNotFoundException(tool.ExecutablePath, e.Message);
        }
        return process;
    }

    private static async Task WriteImageAsync(Process process, GreyImage image)
    {
        try
        {
            await using var input = process.StandardInput.BaseStream;
            await image.WritePgmAsync(input).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Tesseract exited before reading everything (killed, or failed): its exit code and standard error say why.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private static string Tail(string text) => text.Length <= KeptErrorChars ? text : text[^KeptErrorChars..];
}
