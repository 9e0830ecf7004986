using Vireo.Models.Preprocessing;

namespace Vireo.Bench;

/// <summary>CLIP image preprocessing throughput on one thread, for typical frame sizes to 224x224 CHW float32.</summary>
internal sealed class PreprocessBench : IBenchSuite
{
    public string Name => "preprocess";

    public string Description => "CLIP image preprocessing (PIL-exact bicubic, crop, normalise): frames/s for 1280x720 and 480x270 inputs";

    public Task RunAsync(string[] args, BenchReport report)
    {
        report.Context("load_average_at_start", BenchMachine.LoadAverage());
        var seconds = args.Contains("--quick") ? 0.1 : 0.4;
        foreach (var (width, height) in new[] { (1280, 720), (480, 270), (1920, 1080), (406, 720) })
        {
            var rgb = Pattern(width, height);
            foreach (var filter in new[] { ResampleFilter.Bicubic, ResampleFilter.Bilinear })
            {
                var preprocessor = new ImagePreprocessor(ImagePreprocessing.Clip with { Interpolation = filter });
                var output = new float[preprocessor.OutputLength(width, height)];
                preprocessor.Preprocess(rgb, width, height, output);
                var rate = BenchMachine.Best(() => BenchMachine.Rate(seconds, () =>
                {
                    preprocessor.Preprocess(rgb, width, height, output);
                    return 1;
                }));
                report.Add($"{width}x{height} -> 224x224 {filter.ToString().ToLowerInvariant()}", rate, "frames/s", $"{1000 / rate:0.00} ms/frame, best of 5 rounds of {seconds} s");
            }
        }
        return Task.CompletedTask;
    }

    // A deterministic picture with edges and gradients (content does not change the work done).
    private static byte[] Pattern(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 3;
                rgb[i] = (byte)(x * 255 / width);
                rgb[i + 1] = (byte)((x / 16 + y / 16) % 2 * 255);
                rgb[i + 2] = (byte)(x * y % 251);
            }
        }
        return rgb;
    }
}
