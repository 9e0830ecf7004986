using Vireo.Imaging;
using Vireo.Tests.Support;

namespace Vireo.Tests.Media;

public class PngWriterTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(333, 127)]
    [InlineData(64, 48)]
    public async Task Png_round_trips_exactly_through_ffmpeg(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        new Random(width * 31 + height).NextBytes(rgb);
        var path = TestVideos.NewPath($"random-{width}x{height}.png");
        PngWriter.WriteRgb24(path, rgb, width, height);

        using var decoded = await ImageDecoder.ReadRgb24Async(path, cancellationToken: Frames.Ct);

        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.True(decoded.Pixels.SequenceEqual(rgb), "decoded pixels differ from the written ones");
    }

    [Fact]
    public void Rejects_a_buffer_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => PngWriter.WriteRgb24(Stream.Null, new byte[10], 2, 2));
    }
}
