using Vireo.Embedding;
using Vireo.Media;
using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Embedding;

/// <summary>The pipeline's thread budget changes how fast, never what comes out.</summary>
public class VideoEmbedderPipelineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Parallel_encoder_workers_give_the_model_sessions_embeddings_and_hand_videos_back_in_order()
    {
        var folder = TestVideos.NewPath("pipeline");
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var (name, colours) in new[] { ("a.mp4", new[] { ("red", 3.0), ("blue", 4.0) }), ("b.mp4", [("yellow", 2.5)]), ("c.mp4", [("testsrc2", 3.0), ("lime", 2.0)]) })
        {
            var path = Path.Combine(folder, name);
            await ColourVideos.WriteAsync(path, colours);
            paths.Add(path);
        }
        using var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 2 });

        async Task<List<(string Path, float[] Clips)>> RunAsync(EmbeddingOptions options)
        {
            var jobs = paths.Select(p => new EmbeddingJob<string>(p, p)).ToList();
            var finished = new List<(string, float[])>();
            await new VideoEmbedder(model, options).RunAsync(jobs, (job, _) =>
            {
                finished.Add((job.Item, job.BuildClips().Data.ToArray()));
                return ValueTask.CompletedTask;
            }, null, Ct);
            return finished;
        }

        var reference = await RunAsync(new EmbeddingOptions { Encoder = EncoderMode.Model, BatchSize = 16 });
        // Batches of 3 split clips between batches that two workers encode at once; 3 workers on 2 threads' worth.
        var parallel = await RunAsync(new EmbeddingOptions { Encoder = EncoderMode.Parallel, Threads = 3, BatchSize = 3 });
        var shared = await RunAsync(new EmbeddingOptions { Encoder = EncoderMode.Shared, Threads = 2, BatchSize = 5 });
        Assert.Equal(paths, shared.Select(r => r.Path));
        for (var v = 0; v < paths.Count; v++)
        {
            for (var i = 0; i < reference[v].Clips.Length; i++)
                Assert.Equal(reference[v].Clips[i], shared[v].Clips[i], 4);
        }

        Assert.Equal(paths, reference.Select(r => r.Path));
        Assert.Equal(paths, parallel.Select(r => r.Path));
        for (var v = 0; v < paths.Count; v++)
        {
            Assert.Equal(reference[v].Clips.Length, parallel[v].Clips.Length);
            for (var i = 0; i < reference[v].Clips.Length; i++)
                Assert.Equal(reference[v].Clips[i], parallel[v].Clips[i], 4);
        }
    }

    [Fact]
    public void The_budget_gives_ffmpeg_two_threads_up_to_720p_four_above_and_one_encoder_call_per_thread()
    {
        var whole = PipelineBudget.For(new EmbeddingOptions { Threads = 2 }, onlyShortSpans: false);
        Assert.Equal((2, true), (whole.EncoderWorkers, whole.OwnSession));
        Assert.Equal(2, whole.DecodeThreadsFor(Video(1920, 1080)));
        Assert.Equal(2, whole.DecodeThreadsFor(Video(3840, 2160)));
        var eight = PipelineBudget.For(new EmbeddingOptions { Threads = 8 }, onlyShortSpans: false);
        Assert.Equal((2, 4), (eight.DecodeThreadsFor(Video(1280, 720)), eight.DecodeThreadsFor(Video(1920, 1080))));
        Assert.Equal(1, PipelineBudget.For(new EmbeddingOptions { Threads = 1, Encoder = EncoderMode.Parallel }, onlyShortSpans: false).DecodeThreadsFor(Video(1920, 1080)));
        Assert.Equal(3, (whole with { DecodeThreads = 3 }).DecodeThreadsFor(Video(1280, 720)));
        var spans = PipelineBudget.For(new EmbeddingOptions { Threads = 2 }, onlyShortSpans: true);
        Assert.Equal((1, false, 0), (spans.EncoderWorkers, spans.OwnSession, spans.DecodeThreadsFor(Video(1280, 720))));
        var one = PipelineBudget.For(new EmbeddingOptions { Threads = 1 }, onlyShortSpans: false);
        Assert.Equal((1, false), (one.EncoderWorkers, one.OwnSession));
        var shared = PipelineBudget.For(new EmbeddingOptions { Threads = 2, Encoder = EncoderMode.Shared }, onlyShortSpans: false);
        Assert.Equal((2, false, 2), (shared.EncoderWorkers, shared.OwnSession, shared.DecodeThreadsFor(Video(1280, 720))));
    }

    private static VideoStreamInfo Video(int width, int height) => new(0, "h264", "avc1", width, height, 30, 30, 0, 1, "yuv420p", null, null, true);
}
