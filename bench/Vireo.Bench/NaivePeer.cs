using System.Diagnostics;
using Vireo.Models;
using Vireo.Models.Preprocessing;

namespace Vireo.Bench;

/// <summary>
/// The ingest a user would write without Vireo, measured beside it: FFmpeg's <c>-vf fps=1</c> (scaled so the shorter
/// side is the model's size and center-cropped) to raw RGB on a pipe, normalised with CLIP's mean and std, then the same
/// ONNX model on batches of 16, one after the other: read 16 frames, encode them, read the next 16. FFmpeg and ONNX
/// Runtime keep their default threads (one per core), as such a script would.
/// </summary>
internal static class NaivePeer
{
    public const int Batch = 16;

    /// <summary>Encodes <paramref name="video"/> at <paramref name="framesPerSecond"/>; returns the frames encoded.</summary>
    public static int Run(EmbeddingModel model, string video, double framesPerSecond)
    {
        var size = model.Image.InputWidth;
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-i", video,
            "-vf", $"fps={framesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture)},scale=-2:{size}:flags=bicubic,crop={size}:{size}",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1" })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        var stream = process.StandardOutput.BaseStream;
        var frameBytes = size * size * 3;
        var rgb = new byte[frameBytes];
        var pixels = new float[Batch * 3 * size * size];
        var mean = ImagePreprocessing.ClipMean;
        var std = ImagePreprocessing.ClipStd;
        var plane = size * size;
        var total = 0;
        while (true)
        {
            var count = 0;
            while (count < Batch && stream.ReadAtLeast(rgb, frameBytes, throwOnEndOfStream: false) == frameBytes)
            {
                var offset = count * 3 * plane;
                for (var p = 0; p < plane; p++)
                {
                    for (var c = 0; c < 3; c++)
                        pixels[offset + c * plane + p] = (rgb[p * 3 + c] / 255f - mean[c]) / std[c];
                }
                count++;
            }
            if (count == 0)
                break;
            GC.KeepAlive(model.Image.Encode(pixels, count));
            total += count;
            if (count < Batch)
                break;
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException("ffmpeg failed: " + errors.Result);
        return total;
    }
}
