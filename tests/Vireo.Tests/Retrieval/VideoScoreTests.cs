using Vireo.Grounding;
using Vireo.Grounding.Events;
using Vireo.Retrieval;
using Vireo.Tests.Grounding;
using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Tests.Retrieval;

public class VideoScoreTests
{
    [Fact]
    public void Combine_weights_the_three_similarities_and_redistributes_a_missing_event_part()
    {
        Assert.Equal(0.5 * 0.2 + 0.25 * 0.4 + 0.25 * 0.3, VideoScore.Combine(0.2, 0.4, 0.3), 12);
        Assert.Equal((0.5 * 0.2 + 0.25 * 0.4) / 0.75, VideoScore.Combine(0.2, 0.4, null), 12);
        var weights = new VideoScoreWeights { MeanPooled = 1, BestClip = 0, BestEvent = 3 };
        Assert.Equal((0.2 + 3 * 0.3) / 4, VideoScore.Combine(0.2, 0.4, 0.3, weights), 12);
        Assert.Throws<ArgumentException>(() => VideoScore.Combine(0.2, 0.4, null, new VideoScoreWeights { MeanPooled = 0, BestClip = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VideoScoreWeights { BestClip = -1 });
    }

    [Fact]
    public void Compute_finds_the_best_clip_and_event_of_a_long_video()
    {
        // A long video about something else with one short scene that matches the query: the mean-pooled embedding
        // barely moves, the best clip and the best event find it.
        var scenes = SyntheticVideos.Scenes(4, [40, 6, 40], noise: 0.1, dimension: 32);
        var query = scenes.Row(43);
        var pooled = new float[32];
        VectorMath.MeanPool(scenes.AsSpan(), 32, pooled);
        var events = new EventSegmentation([new ClipSpan(0, 40), new ClipSpan(40, 46), new ClipSpan(46, 86)], scenes);

        var match = VideoScore.Compute(query, pooled, scenes, events.Prototypes);
        var coarseOnly = VideoScore.Compute(query, pooled, scenes, null, new VideoScoreWeights { BestClip = 0 });

        Assert.Equal(43, match.BestClipIndex);
        Assert.Equal(1, match.BestClip, 5);
        Assert.Equal(1, match.BestEventIndex);
        Assert.True(match.BestEvent > 0.95);
        Assert.True(match.MeanPooled < 0.5);
        Assert.Equal(VideoScore.Combine(match.MeanPooled, match.BestClip, match.BestEvent), match.Score, 12);
        Assert.Equal(match.MeanPooled, coarseOnly.Score, 12);
        Assert.Equal(-1, coarseOnly.BestEventIndex);
        Assert.Throws<ArgumentException>(() => VideoScore.Compute(new float[8], pooled, scenes, null));
        Assert.Throws<ArgumentException>(() => VideoScore.Compute(query, pooled, new EmbeddingMatrix(0, 32), null));
    }
}
