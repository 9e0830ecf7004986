using System.Diagnostics;
using System.Globalization;
using Vireo.Media;
using Vireo.TimedText;
using Vireo.TimedText.Subtitles;
using Vireo.Tests.Support;

namespace Vireo.Tests.TimedText;

public class SubtitleChannelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_talk_videos_english_track_is_read_with_the_times_ffprobe_reports()
    {
        var talk = SharedData.Require("data/videos/talk.mp4");
        var packets = await SubtitlePacketsAsync(talk);

        var reading = await SubtitleChannel.ReadAsync(talk, cancellationToken: Ct);

        Assert.Empty(reading.Issues);
        var source = Assert.Single(reading.Sources);
        Assert.Equal((SubtitleSourceKind.Embedded, SubtitleFormat.SubRip, "eng"), (source.Kind, source.Format, source.Language));
        Assert.Equal(6, reading.Entries.Count); // the manifest: the narration as six cues
        Assert.Equal(packets.Count, reading.Entries.Count);
        for (var i = 0; i < packets.Count; i++)
        {
            var entry = reading.Entries[i];
            Assert.Equal(packets[i].Start, entry.Start, 3);
            Assert.Equal(packets[i].End, entry.End, 3);
            Assert.Equal((TextChannel.Subtitles, "eng", 1.0, source.Name), (entry.Channel, entry.Language, entry.Confidence, entry.Source));
            Assert.False(string.IsNullOrWhiteSpace(entry.Text));
        }
        Assert.Contains(reading.Entries, e => e.Text.Contains("bread", StringComparison.OrdinalIgnoreCase)); // "a talk on baking bread"
    }

    [Fact]
    public async Task Every_mov_text_track_is_read_with_its_language_and_title()
    {
        var reading = await SubtitleChannel.ReadAsync(await SubtitleVideos.MovText(), cancellationToken: Ct);

        Assert.Empty(reading.Issues);
        Assert.Equal(["eng", "fre"], reading.Sources.Select(s => s.Language));
        Assert.Contains("Français", reading.Sources[1].Name, StringComparison.Ordinal);
        AssertTrack(reading, "eng", PlantedSubtitles.English);
        AssertTrack(reading, "fre", PlantedSubtitles.French);
        Assert.Equal(reading.Entries.OrderBy(e => e.Start).Select(e => e.Start), reading.Entries.Select(e => e.Start));
    }

    [Fact]
    public async Task Srt_ass_and_webvtt_tracks_are_read_and_a_bitmap_track_is_reported_for_ocr()
    {
        var video = await SubtitleVideos.MultiTrack();
        var media = await MediaProbe.ProbeAsync(video, cancellationToken: Ct);

        var reading = await SubtitleChannel.ReadAsync(video, media, cancellationToken: Ct);

        AssertTrack(reading, "eng", PlantedSubtitles.English);
        AssertTrack(reading, "fre", PlantedSubtitles.French);
        AssertTrack(reading, "ger", PlantedSubtitles.German);
        Assert.Equal([SubtitleFormat.SubRip, SubtitleFormat.Ass, SubtitleFormat.WebVtt, null], reading.Sources.Select(s => s.Format));
        Assert.Contains("English SDH", reading.Sources[0].Name, StringComparison.Ordinal);
        var bitmap = media.SubtitleStreams.Single(s => s.Codec == "hdmv_pgs_subtitle");
        var issue = Assert.Single(reading.Issues);
        Assert.Equal($"stream {bitmap.Index.ToString(CultureInfo.InvariantCulture)} (hdmv_pgs_subtitle, spa)", issue.Where);
        Assert.Equal("bitmap subtitles: needs the OCR channel", issue.Problem);
        Assert.Equal((0, 1, "spa"), (reading.Sources[3].Cues, reading.Sources[3].Issues, reading.Sources[3].Language));
    }

    public static TheoryData<string> Encodings => ["utf-8", "utf-8-bom", "utf-16le-bom", "utf-16be-bom", "utf-16le", "utf-16be", "windows-1252"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Sidecars_in_each_encoding_are_read_with_their_language(string encoding)
    {
        using var folder = new TempFolder();
        var video = await CopyPlainVideo(folder, "bread.mp4");
        PlantedCue[] accented = [new(1, 2, "Crème brûlée, à l'été"), new(3, 4.5, "Ærø\nnaïve")];
        await File.WriteAllBytesAsync(folder.File("bread.fr.srt"), SubtitleEncodingTests.Encode(PlantedSubtitles.Srt(accented), encoding), Ct);

        var reading = await SubtitleChannel.ReadAsync(video, cancellationToken: Ct);

        var source = Assert.Single(reading.Sources);
        Assert.Equal(("bread.fr.srt", SubtitleSourceKind.Sidecar, "fr"), (source.Name, source.Kind, source.Language));
        Assert.StartsWith(encoding.Replace("-bom", "", StringComparison.Ordinal), source.Encoding, StringComparison.Ordinal);
        Assert.Equal(encoding.EndsWith("-bom", StringComparison.Ordinal), source.Encoding!.EndsWith("(BOM)", StringComparison.Ordinal));
        AssertTrack(reading, "fr", accented);
    }

    [Fact]
    public async Task Sidecars_of_every_format_are_merged_with_malformed_lines_reported_and_a_broken_file_an_issue()
    {
        using var folder = new TempFolder();
        var video = await CopyPlainVideo(folder, "talk.mkv");
        var srt = PlantedSubtitles.Srt(PlantedSubtitles.English).Replace("00:00:02,250 -->", "00:00:02;250 -->", StringComparison.Ordinal);
        await File.WriteAllTextAsync(folder.File("talk.en.srt"), srt, Ct);
        await File.WriteAllTextAsync(folder.File("talk.fr.ass"), PlantedSubtitles.Ass(PlantedSubtitles.French), Ct);
        await File.WriteAllTextAsync(folder.File("talk.de.VTT"), PlantedSubtitles.Vtt(PlantedSubtitles.German), Ct);
        await File.WriteAllTextAsync(folder.File("talk.it.srt"), "not a subtitle at all\n", Ct);
        await File.WriteAllTextAsync(folder.File("talking.srt"), PlantedSubtitles.Srt(PlantedSubtitles.German), Ct);

        var reading = await SubtitleChannel.ReadAsync(video, cancellationToken: Ct);

        Assert.Equal(["talk.de.VTT", "talk.en.srt", "talk.fr.ass", "talk.it.srt"], reading.Sources.Select(s => s.Name));
        AssertTrack(reading, "en", PlantedSubtitles.English[..1]);
        AssertTrack(reading, "fr", PlantedSubtitles.French);
        AssertTrack(reading, "de", PlantedSubtitles.German);
        var badTiming = PlantedSubtitles.Srt(PlantedSubtitles.English).Split('\n').ToList().FindIndex(l => l.StartsWith("00:00:02,250", StringComparison.Ordinal)) + 1;
        Assert.Equal([$"talk.en.srt:{badTiming.ToString(CultureInfo.InvariantCulture)}", "talk.it.srt"], reading.Issues.Select(i => i.Where));
        Assert.Contains("no valid subtitle cue", reading.Issues[1].Problem, StringComparison.Ordinal);
        Assert.Equal(reading.Entries.OrderBy(e => e.Start).Select(e => e.Start), reading.Entries.Select(e => e.Start));
    }

    [Fact]
    public async Task A_missing_video_is_an_error_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-video-" + Guid.NewGuid().ToString("N") + ".mp4");

        var error = await Assert.ThrowsAsync<MediaFileNotFoundException>(() => SubtitleChannel.ReadAsync(missing, cancellationToken: Ct));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_kills_and_reaps_ffmpeg()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "needs mkfifo");
        // FFmpeg blocks opening a pipe nobody writes: only cancellation can end the read.
        var fifo = TestVideos.NewPath("never-written-subs.fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo))
            await mkfifo.WaitForExitAsync(Ct);
        var media = new MediaInfo(fifo, "matroska,webm", 10, 0, 0, null, [], [], [new SubtitleStreamInfo(0, "subrip", "eng")]);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stopwatch = Stopwatch.StartNew();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SubtitleChannel.ReadAsync(fifo, media, cancellationToken: cancel.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
        Assert.Equal(0, Frames.RunningProcessesMentioning(fifo));
    }

    private static void AssertTrack(SubtitleReading reading, string language, IReadOnlyList<PlantedCue> expected)
    {
        var track = reading.Entries.Where(e => e.Language == language).ToList();
        Assert.All(track, e => Assert.Equal(TextChannel.Subtitles, e.Channel));
        SubtitleSubRipTests.AssertCues(expected, [.. track.Select(e => new SubtitleCue(e.Start, e.End, e.Text))]);
    }

    private static async Task<string> CopyPlainVideo(TempFolder folder, string name)
    {
        var video = folder.File(name);
        File.Copy(await SubtitleVideos.Plain(), video);
        return video;
    }

    /// <summary>The start and end of every non-empty packet of the first subtitle stream (mov_text writes 2-byte empty packets for gaps).</summary>
    private static async Task<List<(double Start, double End)>> SubtitlePacketsAsync(string video)
    {
        var packets = new List<(double, double)>();
        foreach (var fields in await FFmpegRunner.ProbeAsync(video, "s:0", "packet=pts_time,duration_time,size"))
        {
            var (pts, duration, size) = (double.Parse(fields["pts_time"], CultureInfo.InvariantCulture), double.Parse(fields["duration_time"], CultureInfo.InvariantCulture), int.Parse(fields["size"], CultureInfo.InvariantCulture));
            if (size > 2)
                packets.Add((pts, pts + duration));
        }
        return packets;
    }
}
