using Vireo.Embedding;
using Vireo.Grounding;
using Vireo.Ingest;
using Vireo.Media;
using Vireo.Models;
using Vireo.Relocalization;
using Vireo.Tests.Support;
using Vireo.Temporal;

namespace Vireo.Tests.Relocalization;

/// <summary>Embedding a span of a video: clips cut from the span's start, pooled into the library's clips, bad spans refused.</summary>
public class ClipQueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_span_is_embedded_from_its_start_and_pooled_into_library_clips()
    {
        // red [0, 3), green [3, 6), blue [6, 9)
        var video = await TestVideos.ColorSegments();
        using var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root);

        // Frames at 2.5, 3.5, ..., 7.5 s (half a second from the cuts, where the encoder blends colours).
        var query = await ClipQuery.EmbedAsync(model, video, new TemporalWindow(2.5, 8.5), clipLength: 2, fineStep: 1, Ct);

        Assert.Equal(new TemporalWindow(2.5, 8.5), query.Span);
        Assert.Equal(6, query.Fine.Count);
        Assert.Equal(3, query.Coarse.Count);
        Assert.Equal(new TemporalWindow(4.5, 6.5), query.Fine.Span(2, 3));
        // lavfi's "green" is dark green (0, 0.5, 0), no concept of its own: its clips are compared with each other.
        var red = model.Text.Encode("red");
        var blue = model.Text.Encode("blue");
        Assert.True(Cosine(query.Fine.Clips[0], red) > 0.95);
        Assert.True(Cosine(query.Fine.Clips[1], query.Fine.Clips[3]) > 0.99);
        Assert.True(Cosine(query.Fine.Clips[1], red) < 0.5);
        Assert.True(Cosine(query.Fine.Clips[4], blue) > 0.95 && Cosine(query.Fine.Clips[5], blue) > 0.95);
        // Coarse clip 0 pools [2.5, 4.5): a red frame and a green one.
        Assert.InRange(Cosine(query.Coarse.Clips[0], red), 0.3, 0.9);
        Assert.True(Cosine(query.Coarse.Clips[1], query.Fine.Clips[2]) > 0.99);
        Assert.True(Cosine(query.Coarse.Clips[2], blue) > 0.95);
    }

    [Fact]
    public async Task Spans_outside_the_video_are_refused_with_its_duration()
    {
        var video = await TestVideos.ColorSegments();
        using var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root);
        var embedder = new VideoEmbedder(model);

        var beyond = await Assert.ThrowsAsync<SpanOutOfRangeException>(() => embedder.EmbedAsync(video, new TemporalWindow(5, 20), Ct));
        Assert.Equal(9, beyond.Duration, 1);
        Assert.Contains("not inside the video", beyond.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SpanOutOfRangeException>(() => embedder.EmbedAsync(video, new TemporalWindow(9.5, 10), Ct));
        var empty = await Assert.ThrowsAsync<SpanOutOfRangeException>(() => ClipQuery.EmbedAsync(model, video, new TemporalWindow(4, 4), 2, 0.5, Ct));
        Assert.Contains("start must be at least 0 and before the end", empty.Message, StringComparison.Ordinal);
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
}
