using System.Text.Json.Nodes;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;
using Vireo.Server;
using Vireo.Tests.Retrieval;
using Vireo.Tests.Support;
using Vireo.TimedText.Subtitles;
using Vireo.Server.Configuration;

namespace Vireo.Tests.Server;

/// <summary>
/// The web page in real headless Chromium: a generated video is indexed with the concept model, the page searches
/// it from the keyboard, a click on the first moment plays the video from the moment's start, and a screenshot is
/// kept as a test artifact (TestResults/browser-e2e.png beside the test binary, and attached to the test result).
/// </summary>
public class BrowserEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Searching_in_chromium_and_clicking_the_first_moment_plays_the_video_from_its_start()
    {
        var executable = Chromium.Require();
        var folder = TestVideos.NewPath("browser-e2e");
        var root = Path.Combine(folder, "videos");
        Directory.CreateDirectory(root);
        var planted = (await PlantedVideos.WriteAsync(Path.Combine(root, "red-in-the-middle.mp4"), 41, 40, [PlantedVideos.Targets[0]], 8, 12)).Single();
        await PlantedVideos.WriteAsync(Path.Combine(root, "blue-somewhere.mp4"), 42, 40, [PlantedVideos.Targets[2]], 8, 12);
        using var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root);
        var library = VideoLibrary.Open(Path.Combine(folder, "library"));
        await new LibraryIngest(library, model).RunAsync([root], cancellationToken: Ct);
        await using var server = await TestServers.KestrelAsync(new ServerOptions { Library = library, Model = model, Urls = "http://127.0.0.1:0" });
        await using var browser = await Chromium.LaunchAsync(executable, Ct);

        await SearchFromTheKeyboardAsync(browser, server.Address, "a red scene");
        await browser.WaitForAsync("document.querySelectorAll('.chip').length > 0", TimeSpan.FromSeconds(60), Ct);
        Assert.Equal("red-in-the-middle.mp4", (string?)await browser.EvaluateAsync("document.querySelector('.result .name').textContent", Ct));
        await browser.WaitForAsync("document.querySelector('.result img').complete && document.querySelector('.result img').naturalWidth > 0", TimeSpan.FromSeconds(30), Ct);

        var chip = JsonNode.Parse((string)(await browser.EvaluateAsync("""
            (() => { const c = document.querySelector('.chip'); c.scrollIntoView(); const r = c.getBoundingClientRect();
                     return JSON.stringify({ start: +c.dataset.start, end: +c.dataset.end, x: r.x + r.width / 2, y: r.y + r.height / 2 }); })()
            """, Ct))!)!;
        var start = (double)chip["start"]!;
        Assert.True(new Vireo.Temporal.TemporalWindow(start, (double)chip["end"]!).IoU(new Vireo.Temporal.TemporalWindow(planted.Start, planted.End)) >= 0.5,
            $"first moment [{start}, {chip["end"]}] vs planted [{planted.Start}, {planted.End}]");
        await browser.ClickAsync((double)chip["x"]!, (double)chip["y"]!, Ct);

        var playing = JsonNode.Parse((string)(await browser.WaitForAsync("""
            (() => { const v = document.getElementById('player');
                     if (v.error) return JSON.stringify({ error: v.error.code });
                     return v.readyState >= 2 && v.currentTime > 0 ? JSON.stringify({ time: v.currentTime, paused: v.paused }) : null; })()
            """, TimeSpan.FromSeconds(30), Ct))!)!;
        Assert.Null(playing["error"]);
        var time = (double)playing["time"]!;
        Assert.True(time >= start - 0.05 && time < start + 1.5, $"currentTime {time} s, moment starts at {start} s");
        Assert.True((bool)(await browser.EvaluateAsync("document.querySelector('.chip').getAttribute('aria-pressed') === 'true'", Ct))!);
        var drawn = (int)(await browser.EvaluateAsync("""
            (() => { const c = document.getElementById('timeline'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                     let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()
            """, Ct))!;
        Assert.True(drawn > 100, "the timeline has no saliency curve or moment drawn");

        // From the keyboard: Tab from the search box reaches a moment chip; Space plays it.
        await browser.EvaluateAsync("document.getElementById('query').focus()", Ct);
        for (var i = 0; i < 10 && !(bool)(await browser.EvaluateAsync("document.activeElement.classList.contains('chip')", Ct))!; i++)
            await browser.PressAsync("Tab", 9, Ct);
        Assert.True((bool)(await browser.EvaluateAsync("document.activeElement.classList.contains('chip')", Ct))!, "Tab never reached a moment chip");
        await browser.EvaluateAsync("document.querySelectorAll('.chip').forEach(c => c.setAttribute('aria-pressed', 'false'))", Ct);
        await browser.PressAsync(" ", 32, Ct);
        await browser.WaitForAsync("document.activeElement.getAttribute('aria-pressed') === 'true'", TimeSpan.FromSeconds(10), Ct);

        var screenshot = await browser.ScreenshotAsync(Ct);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, screenshot[..8]);
        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults")).FullName;
        var path = Path.Combine(artifacts, "browser-e2e.png");
        await File.WriteAllBytesAsync(path, screenshot, Ct);
        TestContext.Current.AddAttachment("browser-e2e.png", screenshot, "image/png");
        Assert.True(new FileInfo(path).Length > 1000);
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}; moment {start} s, currentTime {time} s");
    }

    [Fact]
    public async Task A_quoted_subtitle_is_shown_under_its_moment_and_a_click_on_a_transcript_line_seeks_the_video_there()
    {
        var executable = Chromium.Require();
        using var model = await TimedTextLibraries.TinyModelAsync();
        var library = VideoLibrary.Open(await TimedTextLibraries.WithSubtitlesAsync());
        var talk = library.ListVideos().Single(v => Path.GetFileName(v.Path) == "talk.mp4");
        var cues = (await SubtitleChannel.ReadAsync(talk.Path, cancellationToken: Ct)).Entries;
        await using var server = await TestServers.KestrelAsync(new ServerOptions { Library = library, Model = model, Urls = "http://127.0.0.1:0" });
        await using var browser = await Chromium.LaunchAsync(executable, Ct);

        await SearchFromTheKeyboardAsync(browser, server.Address, "knead the dough for about ten minutes until it is smooth");
        await browser.WaitForAsync("document.querySelectorAll('.result .quotes li').length > 0", TimeSpan.FromSeconds(60), Ct);
        Assert.Equal("talk.mp4", (string?)await browser.EvaluateAsync("document.querySelector('.result .name').textContent", Ct));
        var quote = JsonNode.Parse((string)(await browser.EvaluateAsync("""
            (() => { const li = document.querySelector('.result .quotes li');
                     return JSON.stringify({ channel: li.querySelector('.channel').textContent, times: li.querySelector('.times').textContent,
                                             text: li.querySelector('q').textContent }); })()
            """, Ct))!)!;
        Assert.Equal("subtitles", (string?)quote["channel"]);
        Assert.StartsWith("Knead the dough", (string?)quote["text"], StringComparison.Ordinal);
        Assert.Matches(@"^\d+:\d\d\.\d–\d+:\d\d\.\d$", (string?)quote["times"]);

        // A click on the quote plays the moment that holds it.
        await ClickAsync(browser, "document.querySelector('.result .quote')");
        await browser.WaitForAsync("document.querySelector('.result .chip').getAttribute('aria-pressed') === 'true'", TimeSpan.FromSeconds(10), Ct);
        var lines = await browser.WaitForAsync($"document.querySelectorAll('#transcript .line').length === {cues.Count} ? " +
            "JSON.stringify([...document.querySelectorAll('#transcript .line')].map(l => l.lastElementChild.textContent)) : null", TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(cues.Select(c => c.Text), JsonNode.Parse((string)lines!)!.AsArray().Select(t => (string?)t));

        // Away from the third cue and paused, then a click on the third line seeks there, plays and marks the line.
        await browser.WaitForAsync("document.getElementById('player').readyState >= 2", TimeSpan.FromSeconds(30), Ct);
        await browser.EvaluateAsync("(() => { const v = document.getElementById('player'); v.pause(); v.currentTime = 0; })()", Ct);
        await browser.WaitForAsync("(() => { const v = document.getElementById('player'); return !v.seeking && v.currentTime < 0.5; })()", TimeSpan.FromSeconds(10), Ct);
        await ClickAsync(browser, "document.querySelectorAll('#transcript .line')[2]");
        var time = (double)(await browser.WaitForAsync("""
            (() => { const v = document.getElementById('player'); return !v.seeking && v.currentTime >= 1 ? v.currentTime : null; })()
            """, TimeSpan.FromSeconds(10), Ct));
        Assert.True(Math.Abs(time - cues[2].Start) <= 0.5, $"currentTime {time} s, the third cue starts at {cues[2].Start} s");
        await browser.WaitForAsync("document.querySelectorAll('#transcript .line')[2].getAttribute('aria-current') === 'true'", TimeSpan.FromSeconds(10), Ct);
        var screenshot = await browser.ScreenshotAsync(Ct);
        await File.WriteAllBytesAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults")).FullName, "browser-transcript.png"), screenshot, Ct);
        TestContext.Current.AddAttachment("browser-transcript.png", screenshot, "image/png");
    }

    /// <summary>Opens the page, types <paramref name="query"/> into the search box it focuses and presses Enter.</summary>
    private static async Task SearchFromTheKeyboardAsync(Chromium browser, Uri page, string query)
    {
        await browser.NavigateAsync(page.ToString(), Ct);
        await browser.WaitForAsync("document.readyState === 'complete' && document.activeElement && document.activeElement.id === 'query'", TimeSpan.FromSeconds(30), Ct);
        await browser.InsertTextAsync(query, Ct);
        await browser.PressAsync("Enter", 13, Ct);
    }

    /// <summary>Scrolls the element <paramref name="element"/> evaluates to into view and clicks its middle.</summary>
    private static async Task ClickAsync(Chromium browser, string element)
    {
        var box = JsonNode.Parse((string)(await browser.EvaluateAsync($$"""
            (() => { const e = {{element}}; e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect();
                     return JSON.stringify({ x: r.x + r.width / 2, y: r.y + r.height / 2 }); })()
            """, Ct))!)!;
        await browser.ClickAsync((double)box["x"]!, (double)box["y"]!, Ct);
    }
}
