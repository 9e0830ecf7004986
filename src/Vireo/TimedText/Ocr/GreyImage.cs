using System.Globalization;
using System.Text;

namespace Vireo.TimedText.Ocr;

/// <summary>An 8-bit grey image (row-major, one byte per pixel), as handed to Tesseract.</summary>
internal sealed record GreyImage(byte[] Pixels, int Width, int Height)
{
    /// <summary>
    /// Writes it as binary PGM (P5): a short header and the raw bytes. Tesseract (Leptonica) reads it from standard input
    /// as fast as a file and, unlike PNG, it costs no encoding.
    /// </summary>
    public async Task WritePgmAsync(Stream output)
    {
        await output.WriteAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"P5\n{Width} {Height}\n255\n"))).ConfigureAwait(false);
        await output.WriteAsync(Pixels.AsMemory(0, Width * Height)).ConfigureAwait(false);
    }
}
