using System.Diagnostics;
using Vireo.Library;
using Vireo.TimedText;
using Vireo.Tests.Support;

namespace Vireo.Tests.Library;

/// <summary>The indexer killed with SIGKILL mid-run: nothing committed is lost, nothing half-written shows, a re-run completes.</summary>
public class KillAndResumeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigkill_mid_run_then_rerun_leaves_a_complete_consistent_library()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "uses SIGKILL semantics of Process.Kill on Linux");
        var folder = TestVideos.NewPath("kill-videos");
        Directory.CreateDirectory(folder);
        const int videos = 12;
        await Parallel.ForEachAsync(Enumerable.Range(0, videos), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = Ct }, async (i, _) =>
            await ColourVideos.WriteAsync(Path.Combine(folder, $"v{i:D2}.mp4"), (i % 2 == 0 ? "red" : "blue", 20), ("testsrc2", 10)));
        // Each video has two subtitle cues, read by the default subtitles channel and committed with the video.
        for (var i = 0; i < videos; i++)
            await File.WriteAllTextAsync(Path.Combine(folder, $"v{i:D2}.srt"), $"1\n00:00:01,000 --> 00:00:03,000\nvideo {i} first\n\n2\n00:00:05,000 --> 00:00:07,000\nvideo {i} second\n", Ct);
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var directory = TestVideos.NewPath("kill-library");

        // Five frames per clip make the run long enough to be killed in the middle.
        string[] settings = ["--frames-per-clip", "5"];
        using (var indexer = StartCli(["index", folder, "--library", directory, "--model", model, .. settings]))
        {
            var library = await WaitForCatalogAsync(directory, indexer);
            var committedBeforeKill = 0;
            while (!indexer.HasExited)
            {
                // Readers during the run see whole videos only.
                committedBeforeKill = AssertConsistent(library);
                if (committedBeforeKill >= 2)
                    break;
                await Task.Delay(20, Ct);
            }
            if (indexer.HasExited)
                Assert.Fail("the indexer finished before it could be killed; make the videos longer. " + await indexer.StandardOutput.ReadToEndAsync(Ct) + await indexer.StandardError.ReadToEndAsync(Ct));
            indexer.Kill(entireProcessTree: true);
            await indexer.WaitForExitAsync(Ct);
            Assert.InRange(committedBeforeKill, 2, videos - 1);
        }

        var afterKill = VideoLibrary.Open(directory, create: false);
        Assert.Empty(afterKill.CheckIntegrity());
        var survivors = AssertConsistent(afterKill);
        Assert.InRange(survivors, 2, videos - 1);

        using (var rerun = StartCli(["index", folder, "--library", directory, "--model", model, "--json", .. settings]))
        {
            var output = await rerun.StandardOutput.ReadToEndAsync(Ct);
            await rerun.WaitForExitAsync(Ct);
            Assert.True(rerun.ExitCode == 0, output + await rerun.StandardError.ReadToEndAsync(Ct));
            Assert.Contains($"\"unchanged\": {survivors}", output, StringComparison.Ordinal);
        }
        var complete = VideoLibrary.Open(directory, create: false);
        Assert.Empty(complete.CheckIntegrity());
        Assert.Equal(videos, AssertConsistent(complete));
        Assert.Equal(videos, complete.ListVideos().Count);
    }

    /// <summary>
    /// Every indexed video has all its clips, its video vector and both its subtitle cues (searchable), and no timed text
    /// exists without its video; returns how many are indexed.
    /// </summary>
    private static int AssertConsistent(VideoLibrary library)
    {
        // Text first: while a run commits, a video may appear between two reads, but never its text before it.
        var matches = library.SearchTimedText(TimedTextQuery.Parse("first second"), [TextChannel.Subtitles], 1000);
        var indexed = library.ListVideos().Where(v => v.Status == VideoStatus.Indexed).ToList();
        Assert.All(matches.GroupBy(m => m.VideoId), video => Assert.Equal(2, video.Count()));
        Assert.Subset(indexed.Select(v => v.Id).ToHashSet(), matches.Select(m => m.VideoId).ToHashSet());
        foreach (var video in indexed)
        {
            Assert.Equal(15, video.ClipCount);
            Assert.Equal(15, library.ReadClips(video.Id).Count);
            Assert.Equal(2, library.ReadTimedText(video.Id).Count);
            Assert.Contains(TextChannel.Subtitles, library.TextChannelsOf(video.Id));
        }
        var coarse = library.ReadCoarseVectors();
        Assert.Equal(indexed.Count, coarse.Kinds.Count(k => k == VectorKind.Video));
        return indexed.Count;
    }

    private static async Task<VideoLibrary> WaitForCatalogAsync(string directory, Process indexer)
    {
        var catalog = Path.Combine(directory, VideoLibrary.CatalogFileName);
        var watch = Stopwatch.StartNew();
        while (!File.Exists(catalog))
        {
            if (indexer.HasExited)
                Assert.Fail("the indexer exited early: " + await indexer.StandardError.ReadToEndAsync(Ct));
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "no catalog after two minutes");
            await Task.Delay(20, Ct);
        }
        await Task.Delay(100, Ct);
        return VideoLibrary.Open(directory, create: false);
    }

    private static Process StartCli(string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Vireo.Cli.dll"));
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["CI"] = "true"; // no progress bar
        return Process.Start(info) ?? throw new InvalidOperationException("cannot start the CLI");
    }
}
