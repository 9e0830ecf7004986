using System.Globalization;
using System.Text.Json;
using Vireo.Embedding;
using Vireo.Errors;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Library;

/// <summary>Ingest facing failures: retried failures, damaged files, unreadable folders, exit codes, symlinks, the writer lock.</summary>
public class LibraryIngestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<EmbeddingModel> ConceptModelAsync() =>
        EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 2 });

    /// <summary>testsrc2, 20 s, 2 fps sampling gives 40 frames; the index at the front, so a cut file still opens.</summary>
    private static Task<string> TwentySecondsAsync() => TestVideos.Custom("testsrc-20s.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=20",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path));

    /// <summary>
    /// Random bytes in the picture shown at 10 s, one the 2 fps sampling decodes: FFmpeg reports "error while decoding
    /// MB" and conceals it. Damage in a picture no sample needs is not decoded at all (the packet relay leaves those out),
    /// so it must be a sampled one; x264's output varies by a few bytes between runs, so the packet is looked up.
    /// </summary>
    private static async Task<string> ConcealedErrorAsync(string folder)
    {
        var source = await TwentySecondsAsync();
        var sampled = (await FFmpegRunner.ProbeAsync(source, "v:0", "packet=pts_time,pos,size"))
            .Single(p => double.Parse(p["pts_time"], CultureInfo.InvariantCulture) == 10.0);
        var (position, size) = (long.Parse(sampled["pos"], CultureInfo.InvariantCulture), int.Parse(sampled["size"], CultureInfo.InvariantCulture));
        var bytes = await File.ReadAllBytesAsync(source, Ct);
        new Random(4).NextBytes(bytes.AsSpan((int)position + 16, Math.Min(400, size - 32)));
        var path = Path.Combine(folder, "garbled.mp4");
        await File.WriteAllBytesAsync(path, bytes, Ct);
        return path;
    }

    /// <summary>The first 40% of the bytes: decodes for 8 s, then stops.</summary>
    private static async Task<string> CutAsync(string folder)
    {
        var bytes = await File.ReadAllBytesAsync(await TwentySecondsAsync(), Ct);
        var path = Path.Combine(folder, "cut.mp4");
        await File.WriteAllBytesAsync(path, bytes.AsMemory(0, (int)(bytes.Length * 0.4)), Ct);
        return path;
    }

    /// <summary>
    /// FFmpeg's frame-threaded H.264 decoder now and then conceals an error without logging it (measured: 1 run in 8 on
    /// the garbled file), and damage FFmpeg does not report cannot be marked; one decoding thread always reports it.
    /// </summary>
    private static readonly IngestOptions OneDecodeThread = new() { Embedding = new EmbeddingOptions { DecodeThreads = 1 } };

    /// <summary>Makes one video in a new folder and indexes the folder into a new library.</summary>
    private static async Task<(VideoLibrary Library, EmbeddingModel Model, IngestReport Report, string Video)> IndexOneAsync(string name, Func<string, Task<string>> make)
    {
        var folder = NewFolder(name);
        var video = await make(folder);
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        var model = await ConceptModelAsync();
        return (library, model, await new LibraryIngest(library, model, OneDecodeThread).RunAsync([folder], cancellationToken: Ct), video);
    }

    private static string NewFolder(string name)
    {
        var folder = TestVideos.NewPath(name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public async Task A_file_recorded_as_failed_is_retried_on_the_next_run()
    {
        var folder = NewFolder("retry");
        var video = await ColourVideos.WriteAsync(Path.Combine(folder, "red.mp4"), ("red", 4));
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        using var model = await ConceptModelAsync();
        var file = new FileInfo(video);
        // What an earlier run with a broken FFmpeg left: the file as failed, with its current size and time.
        library.RecordFailure(video, file.Length, file.LastWriteTimeUtc.Ticks, "", video + ": FFmpeg could not run");

        var report = await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);

        Assert.Equal((1, 0, 0), (report.Added + report.Updated, report.Unchanged, report.Failures.Count));
        Assert.Equal(VideoStatus.Indexed, library.Find(video)!.Status);
    }

    [Fact]
    public async Task A_file_that_still_fails_is_reported_again_on_every_run()
    {
        var folder = NewFolder("refail");
        await File.WriteAllTextAsync(Path.Combine(folder, "fake.mp4"), "this is text", Ct);
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        using var model = await ConceptModelAsync();

        var first = await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);
        var second = await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);

        Assert.Single(first.Failures);
        var again = Assert.Single(second.Failures);
        Assert.Equal(first.Failures[0].Error, again.Error);
        Assert.Equal(0, second.Unchanged);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_broken_ffmpeg_is_a_missing_dependency_not_a_damaged_video_and_the_file_is_indexed_once_it_works()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "uses a shell script as FFmpeg");
        var folder = NewFolder("broken-ffmpeg");
        await ColourVideos.WriteAsync(Path.Combine(folder, "blue.mp4"), ("blue", 4));
        var fake = await FakeFFmpegAsync("echo 'ffmpeg: error while loading shared libraries: libavdevice.so.61' >&2\nexit 127");
        var directory = TestVideos.NewPath("library");
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;

        var broken = await CliRunner.RunProcessAsync(["index", folder, "--library", directory, "--model", model], new() { ["VIREO_FFMPEG"] = fake });
        Assert.True(broken.Code == 3, broken.Out + broken.Error);
        Assert.Contains("FFmpeg", broken.Error, StringComparison.Ordinal);
        Assert.Contains("libavdevice", broken.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("truncated or damaged", broken.Error + broken.Out, StringComparison.Ordinal);

        var fixedRun = await CliRunner.RunProcessAsync(["index", folder, "--library", directory, "--model", model, "--json"], []);
        Assert.True(fixedRun.Code == 0, fixedRun.Out + fixedRun.Error);
        using var json = JsonDocument.Parse(fixedRun.Out);
        Assert.Equal(1, json.RootElement.GetProperty("added").GetInt32());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task An_ffmpeg_that_fails_before_reading_the_file_is_the_machines_fault_and_a_refused_file_is_not_the_videos()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "uses shell scripts as FFmpeg");
        var video = await TestVideos.Testsrc();
        var info = await Vireo.Media.MediaProbe.ProbeVideoAsync(video, cancellationToken: Ct);

        await Assert.ThrowsAsync<Vireo.Media.FFmpegFailedException>(() => SampleWithAsync(info, "echo 'libavfilter.so.10: cannot open shared object file' >&2; exit 127"));
        await Assert.ThrowsAsync<Vireo.Media.FFmpegFailedException>(() => SampleWithAsync(info, "exit 0"));
        await Assert.ThrowsAsync<Vireo.Media.MediaFileNotFoundException>(() => SampleWithAsync(info, $"echo '[error] {video}: Permission denied' >&2; exit 1"));
        // FFmpeg that opened the file and found nothing to decode: the video's fault.
        await Assert.ThrowsAsync<Vireo.Media.CorruptMediaException>(() => SampleWithAsync(info, $"echo \"[info] Input #0, mov, from '{video}':\" >&2; exit 1"));
    }

    /// <summary>A shell script standing in for FFmpeg (readable and executable by anyone).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task<string> FakeFFmpegAsync(string script)
    {
        var fake = Path.Combine(NewFolder("fake-ffmpeg"), "ffmpeg");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\n" + script + "\n", Ct);
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
        return fake;
    }

    /// <summary>
    /// Samples with a fake FFmpeg. A script just written can be "busy" for a moment (ETXTBSY: a process another test
    /// forked at that instant still holds the write handle until it execs), which is the test's race, not the engine's:
    /// starting it is tried again then.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task SampleWithAsync(Vireo.Media.MediaInfo info, string script)
    {
        var options = new Vireo.Media.FrameSamplerOptions { Tools = new Vireo.Media.FFmpegTools(await FakeFFmpegAsync(script), Vireo.Media.FFmpegTools.Default.FFprobePath) };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await foreach (var frame in Vireo.Media.FrameSampler.SampleAsync(info, Vireo.Media.FrameSampling.AtRate(1), options, Ct))
                    frame.Dispose();
                return;
            }
            catch (Vireo.Media.FFmpegNotFoundException e) when (attempt < 10 && e.Message.Contains("Text file busy", StringComparison.Ordinal))
            {
                await Task.Delay(50, Ct);
            }
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Unreadable_files_and_folders_are_reported_as_permission_denied()
    {
        CliRunner.RequireNobody();
        var folder = NewFolder("unreadable");
        await ColourVideos.WriteAsync(Path.Combine(folder, "ok.mp4"), ("red", 4));
        var secret = await ColourVideos.WriteAsync(Path.Combine(folder, "secret.mp4"), ("blue", 4));
        var locked = Path.Combine(folder, "locked");
        Directory.CreateDirectory(locked);
        await ColourVideos.WriteAsync(Path.Combine(locked, "inside.mp4"), ("yellow", 4));
        File.SetUnixFileMode(secret, UnixFileMode.None);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        var directory = NewFolder("library");
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
        var home = NewFolder("home");
        File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;

        var run = await CliRunner.RunProcessAsync(["index", folder, "--library", directory, "--model", model, "--json"],
            new() { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home }, asNobody: true);

        Assert.True(run.Code == 5, $"exit {run.Code}: {run.Out}{run.Error}");
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(1, json.RootElement.GetProperty("added").GetInt32());
        var failed = json.RootElement.GetProperty("failed").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("error").GetString()!);
        Assert.Equal([locked, secret], failed.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("permission denied", failed[secret], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("permission denied", failed[locked], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("truncated or damaged", failed[secret], StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Prune_keeps_the_videos_of_a_folder_it_may_not_read()
    {
        CliRunner.RequireNobody();
        var folder = NewFolder("prune-unreadable");
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        var hidden = Path.Combine(folder, "sub");
        Directory.CreateDirectory(hidden);
        await ColourVideos.WriteAsync(Path.Combine(folder, "seen.mp4"), ("red", 4));
        var inside = await ColourVideos.WriteAsync(Path.Combine(hidden, "inside.mp4"), ("blue", 4));
        File.SetUnixFileMode(inside, (UnixFileMode)0b110_100_100);
        var directory = NewFolder("prune-unreadable-library");
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
        var home = NewFolder("prune-unreadable-home");
        File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        Dictionary<string, string> environment = new() { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home };
        var first = await CliRunner.RunProcessAsync(["index", folder, "--library", directory, "--model", model, "--json"], environment, asNobody: true);
        Assert.True(first.Code == 0, first.Error);

        File.SetUnixFileMode(hidden, UnixFileMode.None);
        var pruning = await CliRunner.RunProcessAsync(["index", folder, "--library", directory, "--model", model, "--prune", "--json"], environment, asNobody: true);

        File.SetUnixFileMode(hidden, (UnixFileMode)0b111_101_101);
        using var json = JsonDocument.Parse(pruning.Out);
        Assert.Equal(0, json.RootElement.GetProperty("pruned").GetInt32());
        Assert.Contains(VideoLibrary.Open(directory, create: false).ListVideos(), v => v.Path == inside);
    }

    [Fact]
    public async Task A_concealed_decoding_error_indexes_the_whole_video_and_marks_the_damage()
    {
        var (library, model, report, garbled) = await IndexOneAsync("concealed", ConcealedErrorAsync);
        using var disposeModel = model;

        Assert.Equal((1, 0), (report.Added, report.Failures.Count));
        var damaged = Assert.Single(report.Damaged);
        Assert.Equal(garbled, damaged.Path);
        Assert.Equal(20, damaged.IndexedUntil, 0);
        var video = library.Find(garbled)!;
        Assert.Equal((VideoStatus.Indexed, 10), (video.Status, video.ClipCount));
        var span = Assert.Single(video.Damaged);
        Assert.InRange(span.Start, 1, 19);
        Assert.InRange(span.End - span.Start, 0.1, 5);

        var clips = await new VideoEmbedder(model).EmbedAsync(garbled, Ct);
        Assert.Equal(10, clips.Clips.Count);
        var ground = await CliRunner.RunAsync("ground", garbled, "red", "--library", TestVideos.NewPath("no-library"), "--model", (await TestModels.ConceptHuggingFaceAsync()).Root);
        Assert.True(ground.Code == 0, ground.Out + ground.Error);
    }

    [Fact]
    public async Task A_truncated_video_is_indexed_up_to_the_damage()
    {
        var folder = NewFolder("truncated");
        var cut = await CutAsync(folder);
        var directory = TestVideos.NewPath("library");
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;

        var run = await CliRunner.RunAsync("index", folder, "--library", directory, "--model", model);

        Assert.True(run.Code == 0, run.Out + run.Error);
        Assert.Contains("1 damaged (indexed up to 8.0 s)", run.Out, StringComparison.Ordinal);
        var library = VideoLibrary.Open(directory, create: false);
        var video = library.Find(cut)!;
        Assert.Equal((VideoStatus.Indexed, 4), (video.Status, video.ClipCount));
        Assert.Equal(4, library.ReadClips(video.Id).Count);
        var span = Assert.Single(video.Damaged);
        Assert.Equal(8, span.Start, 0);
        Assert.Equal(20, span.End, 0);
        Assert.Empty(library.CheckIntegrity());

        var again = await CliRunner.RunAsync("index", folder, "--library", directory, "--model", model, "--json");
        using var json = JsonDocument.Parse(again.Out);
        Assert.Equal(1, json.RootElement.GetProperty("unchanged").GetInt32());
    }

    [Fact]
    public async Task Search_answers_name_the_damaged_stretch_of_a_video()
    {
        var (library, model, report, cut) = await IndexOneAsync("damaged-search", CutAsync);
        using var disposeModel = model;
        Assert.Single(report.Damaged);
        using var engine = Vireo.Engine.VireoEngine.Over(library, model);

        var answer = Vireo.Answers.SearchAnswers.Local(await engine.SearchAsync("red", cancellationToken: Ct), library.Directory, model.Identity.Name);

        var video = Assert.Single(answer.Results);
        Assert.Equal(cut, video.Vid);
        var span = Assert.Single(video.Damaged!);
        Assert.Equal([8.0, 20.0], span.Select(s => Math.Round(s)));
        var json = System.Text.Json.JsonSerializer.Serialize(answer, Vireo.Answers.AnswerJsonContext.Default.SearchAnswer);
        Assert.Contains("\"damaged\":[[8", json, StringComparison.Ordinal);
        var entry = Assert.Single(Vireo.Answers.LibraryAnswers.Videos(library, 0, 10, new NoLinks()).Videos);
        Assert.Equal(8.0, Math.Round(Assert.Single(entry.Damaged!)[0]));
    }

    [Fact]
    public async Task Index_exits_2_when_nothing_could_be_indexed_and_5_when_some_files_failed_with_consistent_wording()
    {
        var bad = NewFolder("all-bad");
        await File.WriteAllTextAsync(Path.Combine(bad, "fake.mp4"), "this is text", Ct);
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;

        var none = await CliRunner.RunAsync("index", bad, "--library", TestVideos.NewPath("library"), "--model", model);
        Assert.True(none.Code == 2, none.Out + none.Error);

        var mixed = NewFolder("mixed");
        await File.WriteAllTextAsync(Path.Combine(mixed, "fake.mp4"), "this is text", Ct);
        await ColourVideos.WriteAsync(Path.Combine(mixed, "red.mp4"), ("red", 4));
        var some = await CliRunner.RunAsync("index", mixed, "--library", TestVideos.NewPath("library"), "--model", model);
        Assert.True(some.Code == 5, some.Out + some.Error);
        Assert.Contains("1 failed", some.Out, StringComparison.Ordinal);
        Assert.Contains("failed: " + Path.Combine(mixed, "fake.mp4"), some.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("skipped", some.Error, StringComparison.Ordinal);
        Assert.Contains("5 ", Vireo.Cli.Terminal.ExitCodes.Help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_reached_through_a_symlink_is_indexed_once()
    {
        Assert.SkipUnless(!OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        var folder = NewFolder("real");
        await ColourVideos.WriteAsync(Path.Combine(folder, "red.mp4"), ("red", 4));
        await ColourVideos.WriteAsync(Path.Combine(folder, "blue.mp4"), ("blue", 4));
        var link = TestVideos.NewPath("link");
        Directory.CreateSymbolicLink(link, folder);
        var fileLink = TestVideos.NewPath("red-link.mp4");
        File.CreateSymbolicLink(fileLink, Path.Combine(folder, "red.mp4"));
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        using var model = await ConceptModelAsync();

        var first = await new LibraryIngest(library, model).RunAsync([folder, link, fileLink], cancellationToken: Ct);
        var second = await new LibraryIngest(library, model).RunAsync([link], cancellationToken: Ct);

        Assert.Equal((2, 0), (first.Added + first.Reused, first.Failures.Count));
        Assert.Equal(2, second.Unchanged);
        Assert.Equal([Path.Combine(folder, "blue.mp4"), Path.Combine(folder, "red.mp4")], library.ListVideos().Select(v => v.Path));
    }

    [Fact]
    public async Task Prune_removes_entries_an_older_version_stored_under_a_symlink()
    {
        Assert.SkipUnless(!OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        var folder = NewFolder("real");
        var red = await ColourVideos.WriteAsync(Path.Combine(folder, "red.mp4"), ("red", 4));
        var link = TestVideos.NewPath("link");
        Directory.CreateSymbolicLink(link, folder);
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        using var model = await ConceptModelAsync();
        await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);
        var file = new FileInfo(red);
        library.CopyIndexed(library.Find(red)!, Path.Combine(link, "red.mp4"), file.Length, file.LastWriteTimeUtc.Ticks); // as before symlinks were resolved

        var pruned = await new LibraryIngest(library, model, new IngestOptions { Prune = true }).RunAsync([link], cancellationToken: Ct);

        Assert.Equal((1, 1), (pruned.Pruned, pruned.Unchanged));
        Assert.Equal([red], library.ListVideos().Select(v => v.Path));
    }

    [Fact]
    public async Task A_second_writer_is_refused_while_readers_go_on()
    {
        var folder = NewFolder("locked-library");
        await ColourVideos.WriteAsync(Path.Combine(folder, "red.mp4"), ("red", 4));
        var directory = TestVideos.NewPath("library");
        var library = VideoLibrary.Open(directory);
        using var model = await ConceptModelAsync();
        await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);
        await ColourVideos.WriteAsync(Path.Combine(folder, "blue.mp4"), ("blue", 4));

        using (library.AcquireWriterLock())
        {
            var error = await Assert.ThrowsAsync<LibraryBusyException>(() => new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct));
            Assert.Equal(ErrorKind.Conflict, error.Kind);
            Assert.Contains($"process {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
            Assert.Contains(Environment.MachineName, error.Message, StringComparison.Ordinal);

            var cli = await CliRunner.RunProcessAsync(["index", folder, "--library", directory, "--model", (await TestModels.ConceptHuggingFaceAsync()).Root], []);
            Assert.True(cli.Code == 2, cli.Out + cli.Error);
            Assert.Contains($"process {Environment.ProcessId}", cli.Error, StringComparison.Ordinal);

            using var background = new BackgroundIngest(library, model, new IngestOptions());
            Assert.False(background.TryStart(out var refused)); // refused at once (the server answers 409), not started to fail
            Assert.Contains("being written", refused.Error, StringComparison.Ordinal);
            Assert.Equal(IngestState.Idle, background.Status.State);

            Assert.Single(VideoLibrary.Open(directory, create: false).ListVideos());
        }
        var after = await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);
        Assert.Equal(1, after.Added);
    }

    private sealed class NoLinks : Vireo.Answers.IMediaLinks
    {
        public Vireo.Answers.VideoKey Key(string? shard, long videoId) => videoId;

        public string Thumbnail(Vireo.Answers.VideoKey video, double seconds) => "";

        public string Stream(Vireo.Answers.VideoKey video) => "";
    }
}
