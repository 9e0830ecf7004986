using System.Numerics.Tensors;
using Vireo.Embedding.GrounderFeatures;
using Vireo.Media;
using Vireo.Models;
using Vireo.Models.Preprocessing;
using Vireo.Tests.Support;

namespace Vireo.Tests.Embedding;

/// <summary>Clip features as Lighthouse computes them (<see cref="ClipFeatureExtractor"/>).</summary>
public class ClipFeatureExtractorTests
{
    [Fact]
    public void Pixels_are_normalised_bit_for_bit_as_PyTorch_does()
    {
        // Lighthouse's CLIPPreprocessing on bytes 0, 128 and 255 (torch 1.13: x / 255.0, then (x - mean) / (std + 1e-8)
        // on float32 tensors), as the float32 values' bits.
        uint[][] expected =
        [
            [0xBFE568DC, 0x3D9C5620, 0x3FF71541],
            [0xBFE044B8, 0x3E2CF36B, 0x4004CAE5],
            [0xBFBD77D8, 0x3EAE0DC4, 0x40095660],
        ];
        var pixels = new LighthousePixels(ImagePreprocessing.Clip);
        byte[] rgb = [0, 0, 0, 128, 128, 128, 255, 255, 255];
        var chw = new float[9];
        pixels.Fill(rgb, chw);
        for (var channel = 0; channel < 3; channel++)
        {
            for (var i = 0; i < 3; i++)
                Assert.Equal(expected[channel][i], BitConverter.SingleToUInt32Bits(chw[channel * 3 + i]));
        }
    }

    [Fact]
    public async Task A_video_gives_one_raw_embedding_per_official_clip_whatever_the_batch()
    {
        var video = SharedData.Require("data/videos/demo.mp4");
        using var model = EmbeddingModel.Load((await TestModels.TinyHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 1 });

        var batched = await ClipFeatureExtractor.ExtractAllAsync(model, video, new ClipFeatureOptions { BatchSize = 3 }, cancellationToken: Frames.Ct);
        var single = await ClipFeatureExtractor.ExtractAllAsync(model, video, new ClipFeatureOptions { BatchSize = 1 }, cancellationToken: Frames.Ct);

        Assert.Equal(7, batched.Count); // the official loader's 7 frames (see LighthouseFrameTests)
        Assert.Equal((7, model.Dimension), (single.Features.Count, single.Features.Dimension));
        Assert.Equal(6.96667, batched.FrameTimes[3], 4);
        for (var clip = 0; clip < batched.Count; clip++)
        {
            for (var i = 0; i < model.Dimension; i++)
                Assert.Equal(single.Features[clip][i], batched.Features[clip][i], 5);
            Assert.True(Math.Abs(MathF.Sqrt(TensorPrimitives.SumOfSquares<float>(batched.Features[clip])) - 1) > 1e-3, "features are raw, not unit vectors");
        }
        Assert.NotEqual(batched.Features.Row(0), batched.Features.Row(6));
    }

    [Fact]
    public async Task Stopping_early_or_cancelling_leaves_no_FFmpeg_running()
    {
        var source = SharedData.Require("data/videos/charades.mp4");
        var video = TestVideos.NewPath("cancel-marker-features.mp4");
        File.Copy(source, video);
        using var model = EmbeddingModel.Load((await TestModels.TinyHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 1 });

        await foreach (var feature in ClipFeatureExtractor.ExtractAsync(model, video, new ClipFeatureOptions { BatchSize = 1 }, Frames.Ct))
        {
            Assert.Equal(0, feature.Index);
            break;
        }
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Frames.Ct);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var feature in ClipFeatureExtractor.ExtractAsync(model, video, new ClipFeatureOptions { BatchSize = 1 }, cancel.Token))
                await cancel.CancelAsync();
        });
        await Task.Delay(200, Frames.Ct);
        Assert.Equal(0, Frames.RunningProcessesMentioning("cancel-marker-features"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_video_fails_naming_it()
    {
        var path = TestVideos.NewPath("broken-features.mp4");
        await File.WriteAllBytesAsync(path, new byte[4096], Frames.Ct);
        using var model = EmbeddingModel.Load((await TestModels.TinyHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 1 });
        var error = await Assert.ThrowsAnyAsync<MediaException>(() => ClipFeatureExtractor.ExtractAllAsync(model, path, cancellationToken: Frames.Ct));
        Assert.Equal(path, error.MediaPath);
    }
}
