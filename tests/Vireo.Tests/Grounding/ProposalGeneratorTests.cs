using Vireo.Grounding;
using Vireo.Grounding.Events;
using Vireo.Grounding.Proposals;
using Vireo.Media;
using Vireo.Vectors;
using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Tests.Grounding;

/// <summary>Each proposal generator, event segmentation and shot detection on clips whose structure is known.</summary>
public class ProposalGeneratorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly int[] SceneLengths = [12, 7, 20, 9, 27]; // 75 clips, boundaries at 12, 19, 39, 48

    private static ProposalContext Context(EmbeddingMatrix clips, int maxSpan, double clipLength = 2, IReadOnlyList<double>? shots = null)
    {
        var video = new GroundingVideo(clips, new ClipGrid(clips.Count * clipLength, clipLength), shots);
        var query = new float[clips.Dimension];
        query[0] = 1;
        return new ProposalContext(video, SimilarityProfile.Compute(video, query), maxSpan, Ct);
    }

    private static List<ClipSpan> Generate(IProposalGenerator generator, ProposalContext context)
    {
        var proposals = new List<ClipSpan>();
        generator.Generate(context, proposals);
        Assert.All(proposals, p => Assert.True(p.IsWithin(context.ClipCount) && p.Length <= context.MaxSpanClips, $"{p} is outside the video or too long"));
        return proposals;
    }

    private static int[] Starts(IEnumerable<ClipSpan> spans, int length) => [.. spans.Where(s => s.Length == length).Select(s => s.Start).Order()];

    [Fact]
    public void Sliding_windows_double_in_length_with_a_quarter_stride_and_reach_the_end()
    {
        var proposals = Generate(new SlidingWindowProposals(), Context(SyntheticVideos.Scenes(1, SceneLengths, dimension: 8), maxSpan: 75));

        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 75], proposals.Select(p => p.Length).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, 75), Starts(proposals, 1));
        // 8 clips: stride 2 from 0 to 66, then one window flush with the end.
        Assert.Equal([.. Enumerable.Range(0, 34).Select(i => 2 * i), 67], Starts(proposals, 8));
        Assert.Equal([0, 11], Starts(proposals, 64)); // stride 16: 0, then 16 would pass the end, so flush with it
        Assert.Equal([0], Starts(proposals, 75));
        Assert.Equal(proposals.Count, proposals.Distinct().Count());
    }

    [Fact]
    public void Sliding_windows_of_given_seconds_and_overlap()
    {
        var generator = new SlidingWindowProposals { WindowSeconds = [4, 10, 1000], Overlap = 0.5 };
        var proposals = Generate(generator, Context(SyntheticVideos.Scenes(1, [20], dimension: 8), maxSpan: 12));

        Assert.Equal([2, 5, 12], proposals.Select(p => p.Length).Distinct().Order()); // 1000 s capped at the maximum span
        Assert.Equal(Enumerable.Range(0, 19), Starts(proposals, 2)); // stride 1
        Assert.Equal([0, 3, 6, 9, 12, 15], Starts(proposals, 5)); // stride round(2.5) = 3; 15 + 5 = 20 ends the video
        Assert.Equal([0, 6, 8], Starts(proposals, 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingWindowProposals { Overlap = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingWindowProposals { WindowSeconds = [4, -1] });
    }

    [Fact]
    public void Temporal_map_is_dense_for_short_spans_and_sparser_for_long_ones()
    {
        var map = new TemporalMapProposals { DenseClips = 4 };
        var proposals = Generate(map, Context(SyntheticVideos.Scenes(1, [40], dimension: 8), maxSpan: 20));
        var set = proposals.ToHashSet();

        for (var length = 1; length <= 4; length++)
            Assert.Equal(Enumerable.Range(0, 41 - length), Starts(proposals, length));
        Assert.Equal([6, 8, 12, 16, 20], proposals.Select(p => p.Length).Where(l => l > 4).Distinct().Order());
        Assert.Equal([.. Enumerable.Range(0, 18).Select(i => 2 * i)], Starts(proposals, 6)); // step 2; 34 + 6 = 40 ends the video
        Assert.Equal([0, 4, 8, 12, 16, 20, 24, 28], Starts(proposals, 12));
        Assert.Equal([0, 8, 16, 20], Starts(proposals, 20)); // the maximum span, step 8, plus the span ending at the end
        Assert.Contains(new ClipSpan(28, 40), set); // 12 clips ending at the end
        Assert.DoesNotContain(new ClipSpan(1, 7), set);
        Assert.Equal([1, 1, 2, 2, 4, 4, 8], new[] { 1, 4, 5, 8, 9, 16, 17 }.Select(map.Step));
    }

    [Theory]
    [InlineData(75, 150)]
    [InlineData(1800, 150)]
    [InlineData(18_000, 150)]
    public void Proposal_counts_grow_linearly_with_the_video(int clips, int maxSpan)
    {
        var video = new EmbeddingMatrix(clips, 2);
        for (var i = 0; i < clips; i++)
            video[i][i % 2] = 1; // alternating unit vectors: a shot change at every clip is irrelevant here
        var context = Context(video, maxSpan);

        var sliding = Generate(new SlidingWindowProposals(), context).Count;
        var map = Generate(new TemporalMapProposals(), context).Count;

        Assert.InRange(sliding, clips, 8 * clips + 64);
        Assert.InRange(map, clips, 25 * clips);
    }

    [Fact]
    public void Events_follow_the_scenes_and_tile_the_video()
    {
        var clips = SyntheticVideos.Scenes(2, SceneLengths);

        var exact = EventSegmenter.Segment(clips, new EventSegmentationOptions { Clusters = 5 }, Ct);
        var byRule = EventSegmenter.Segment(clips, cancellationToken: Ct); // round(75 / 8) = 9 clusters

        Assert.Equal([new(0, 12), new(12, 19), new(19, 39), new(39, 48), new(48, 75)], exact.Events);
        var boundaries = byRule.Events.Select(e => e.Start).ToHashSet();
        Assert.Superset(new HashSet<int> { 0, 12, 19, 39, 48 }, boundaries); // more clusters split scenes, never merge them
        Assert.All(byRule.Events, e => Assert.True(e.Length >= 2));
        Assert.Equal(75, byRule.Events.Sum(e => e.Length));
    }

    [Fact]
    public void Event_prototypes_are_the_normalised_means_of_their_clips()
    {
        var clips = SyntheticVideos.Scenes(3, [5, 6]);
        var events = new EventSegmentation([new(0, 5), new(5, 11)], clips);

        var mean = new float[clips.Dimension];
        for (var i = 5; i < 11; i++)
            System.Numerics.Tensors.TensorPrimitives.Add(mean, clips[i], mean);
        VectorMath.NormalizeInPlace(mean);
        Assert.Equal(2, events.Prototypes.Count);
        Assert.Equal(mean, events.Prototypes.Row(1), (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(1, System.Numerics.Tensors.TensorPrimitives.Norm(events.Prototypes[0]), 4);
        Assert.Throws<ArgumentException>(() => new EventSegmentation([new(0, 5), new(6, 11)], clips));
        Assert.Throws<ArgumentException>(() => new EventSegmentation([new(0, 5)], clips));
    }

    [Fact]
    public void Short_events_join_the_closer_neighbour()
    {
        var clips = SyntheticVideos.Scenes(4, [5, 6], noise: 0.1);
        List<ClipSpan> events = [new(0, 4), new(4, 5), new(5, 6), new(6, 11)]; // clip 4 is scene A, clip 5 scene B

        EventSegmenter.MergeShortEvents(events, clips, minClips: 2);

        Assert.Equal([new(0, 5), new(5, 11)], events);
    }

    [Fact]
    public void Long_videos_are_clustered_in_chunks_cut_at_the_largest_change()
    {
        int[] scenes = [55, .. Enumerable.Repeat(40, 48), 10]; // 2,985 clips; the first scene change at clip 55
        var clips = SyntheticVideos.Scenes(5, scenes, dimension: 32);

        var chunks = EventSegmenter.Chunks(clips, 64);
        var events = EventSegmenter.Segment(clips, new EventSegmentationOptions { ChunkClips = 64 }, Ct);

        Assert.Equal(new ClipSpan(0, 55), chunks[0]);
        Assert.All(chunks.SkipLast(1), c => Assert.InRange(c.Length, 48, 64));
        Assert.InRange(chunks[^1].Length, 16, 64);
        Assert.Equal(Enumerable.Range(0, chunks.Count - 1).Select(i => chunks[i].End), chunks.Skip(1).Select(c => c.Start));
        Assert.Equal(clips.Count, events.Events.Sum(e => e.Length));
        var starts = events.Events.Select(e => e.Start).ToHashSet();
        var sceneStarts = scenes.Select((_, i) => scenes.Take(i).Sum());
        Assert.All(sceneStarts, s => Assert.Contains(s, starts));
    }

    [Fact]
    public void Event_proposals_are_unions_of_consecutive_events_within_the_maximum_span()
    {
        var clips = SyntheticVideos.Scenes(2, SceneLengths);
        var segmentation = new EventSegmentationOptions { Clusters = 5 };
        var proposals = Generate(new EventProposals { Segmentation = segmentation, MaxEventsPerUnion = 3 }, Context(clips, maxSpan: 36));

        Assert.Equal([new(0, 12), new(0, 19), new(12, 19), new(12, 39), new(12, 48), new(19, 39), new(19, 48), new(39, 48), new(39, 75), new(48, 75)],
            proposals.Order(Comparer<ClipSpan>.Create((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End))));
    }

    [Fact]
    public void Events_given_to_the_video_are_used_instead_of_computed()
    {
        var clips = SyntheticVideos.Scenes(2, SceneLengths);
        var stored = new EventSegmentation([new(0, 30), new(30, 75)], clips);
        var video = new GroundingVideo(clips, new ClipGrid(150, 2), events: stored);

        Assert.Same(stored, video.Events(EventSegmentationOptions.Default, Ct));
        var computed = new GroundingVideo(clips, new ClipGrid(150, 2));
        Assert.Same(computed.Events(EventSegmentationOptions.Default, Ct), computed.Events(new EventSegmentationOptions(), Ct)); // cached by value
        Assert.Throws<ArgumentException>(() => new GroundingVideo(clips, new ClipGrid(150, 2), events: new EventSegmentation([new(0, 5)], SyntheticVideos.Scenes(2, [5]))));
    }

    [Fact]
    public void Shots_are_found_where_the_embedding_jumps()
    {
        var clips = SyntheticVideos.Scenes(6, SceneLengths, noise: 0.3);

        Assert.Equal([12, 19, 39, 48], ShotDetection.FromEmbeddings(clips));
        Assert.Equal([new(0, 12), new(12, 19), new(19, 75)], ShotDetection.Shots([12, 19], 75));
        Assert.Throws<ArgumentException>(() => ShotDetection.Shots([19, 12], 75));
        Assert.Empty(ShotDetection.FromEmbeddings(SyntheticVideos.Scenes(6, [2])));
    }

    [Fact]
    public void Shot_times_round_to_the_nearest_clip_boundary()
    {
        var grid = new ClipGrid(150, 2);

        Assert.Equal([2, 5, 74], ShotDetection.FromTimes([3.9, 10.2, 0, 150, 4.1, 147.5], grid)); // 0 and the end are no boundaries
        Assert.Throws<ArgumentException>(() => ShotDetection.FromTimes([double.NaN], grid));
    }

    [Fact]
    public void Shot_proposals_use_supplied_boundaries_when_the_video_has_them()
    {
        var clips = SyntheticVideos.Scenes(6, SceneLengths);
        var generator = new ShotBoundaryProposals { MaxShotsPerUnion = 2 };

        var supplied = Generate(generator, Context(clips, maxSpan: 75, shots: [20.0, 100.0]));
        var detected = Generate(generator, Context(clips, maxSpan: 75));

        Assert.Equal([new(0, 10), new(0, 50), new(10, 50), new(10, 75), new(50, 75)], supplied.OrderBy(s => s.Start).ThenBy(s => s.End));
        Assert.Contains(new ClipSpan(19, 39), detected);
        Assert.Contains(new ClipSpan(19, 48), detected);
        Assert.Throws<ArgumentOutOfRangeException>(() => Context(clips, 75, shots: [151.0]));
    }
}
