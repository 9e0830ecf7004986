using Vireo.Imaging;
using Vireo.Models.Preprocessing;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>
/// CLIP preprocessing of the shared test images against the reference tensors (PIL bicubic resize, center
/// crop, torchvision normalisation), float32 [3, 224, 224] each.
/// </summary>
public sealed class ImagePreprocessorVectorTests
{
    public static TheoryData<string> Images() => new("charades_17s", "charades_3s", "exact_224", "portrait_6s", "upscale_97x61", "wide_333x127");

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Matches_the_reference_tensor(string name)
    {
        var png = SharedData.Require($"testvectors/preprocess/{name}.png");
        var reference = await Vireo.Research.Features.NpyFile.ReadAsync(Path.ChangeExtension(png, ".npy"), TestContext.Current.CancellationToken);
        var expected = reference.Data;
        Assert.Equal([3, 224, 224], reference.Shape);
        using var frame = await ImageDecoder.ReadRgb24Async(png, cancellationToken: TestContext.Current.CancellationToken);

        var actual = new ImagePreprocessor(ImagePreprocessing.Clip).Preprocess(frame);

        Assert.Equal(expected.Length, actual.Length);
        double sum = 0, max = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var difference = Math.Abs(actual[i] - expected[i]);
            sum += difference;
            max = Math.Max(max, difference);
        }
        var mean = sum / actual.Length;
        TestContext.Current.SendDiagnosticMessage($"{name} ({frame.Width}x{frame.Height}): mean |diff| {mean:E3}, max |diff| {max:E3}");
        Assert.True(mean <= 1e-3, $"{name}: mean |difference| {mean:E3} > 1e-3");
        Assert.True(max <= 0.02, $"{name}: max |difference| {max:E3} > 0.02");
    }
}
