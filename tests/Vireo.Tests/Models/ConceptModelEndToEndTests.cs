using System.Numerics.Tensors;
using Vireo.Media;
using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>
/// The concept model through the real pipeline: FFmpeg decodes a generated video, Vireo preprocesses and
/// encodes the frames on ONNX Runtime, the real CLIP tokenizer and text tower encode a sentence, and the
/// best-matching frames must be the planted colour.
/// </summary>
public class ConceptModelEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<string> FourColours() => TestVideos.Custom("four-colours.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "color=c=red:s=320x180:r=25:d=4",
        "-f", "lavfi", "-i", "color=c=lime:s=320x180:r=25:d=4",
        "-f", "lavfi", "-i", "color=c=blue:s=320x180:r=25:d=4",
        "-f", "lavfi", "-i", "color=c=yellow:s=320x180:r=25:d=4",
        "-filter_complex", "[0][1][2][3]concat=n=4:v=1:a=0", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path));

    [Theory]
    [InlineData("hf", "red", 0.0)]
    [InlineData("hf", "a green field", 4.0)]
    [InlineData("hf", "the blue sky", 8.0)]
    [InlineData("hf", "A YELLOW taxi!", 12.0)]
    [InlineData("immich", "red", 0.0)]
    [InlineData("immich", "something blue", 8.0)]
    public async Task A_sentence_finds_the_frames_of_its_colour(string layout, string sentence, double segmentStart)
    {
        var folder = layout == "hf" ? (await TestModels.ConceptHuggingFaceAsync()).Root : (await TestModels.ConceptImmichAsync()).Root;
        using var model = EmbeddingModel.Load(folder, new EncoderOptions { IntraOpThreads = 2 });
        var frames = new List<VideoFrame>();
        await foreach (var frame in FrameSampler.SampleAsync(await FourColours(), FrameSampling.AtRate(1), new() { Size = FrameSize.ShorterSide(224) }, Ct))
            frames.Add(frame);
        var images = model.Image.Encode(frames, Ct);
        var query = model.Text.Encode(sentence);

        var scores = Enumerable.Range(0, images.Count).Select(i => TensorPrimitives.Dot(images[i], query)).ToArray();
        var ranked = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        var inside = frames.Select(f => f.Timestamp >= segmentStart && f.Timestamp < segmentStart + 4).ToArray();

        Assert.Equal(16, frames.Count);
        Assert.All(ranked.Take(4), i => Assert.True(inside[i], $"'{sentence}': frame at {frames[i].Timestamp} s ranked in the top 4"));
        var worstInside = Enumerable.Range(0, scores.Length).Where(i => inside[i]).Min(i => scores[i]);
        var bestOutside = Enumerable.Range(0, scores.Length).Where(i => !inside[i]).Max(i => scores[i]);
        Assert.True(worstInside - bestOutside > 0.3f, $"margin {worstInside - bestOutside:0.000}");
        frames.ForEach(f => f.Dispose());
    }
}
