using System.Net;
using System.Text.Json;
using Vireo.Engine;
using Vireo.Server.Configuration;
using Vireo.Tests.Retrieval;
using Vireo.TimedText.Subtitles;
using Vireo.Tests.Support;

namespace Vireo.Tests.Server;

/// <summary>GET /api/videos/{id}/transcript: a library video's stored timed text.</summary>
public class ServerTranscriptTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_videos_transcript_is_its_stored_subtitles_in_time_order_and_an_unknown_video_is_404()
    {
        var directory = await TimedTextLibraries.WithSubtitlesAsync();
        using var model = await TimedTextLibraries.TinyModelAsync();
        using var engine = VireoEngine.Over(Vireo.Library.VideoLibrary.Open(directory), model);
        var talk = engine.Library.ListVideos().Single(v => Path.GetFileName(v.Path) == "talk.mp4");
        var cues = (await SubtitleChannel.ReadAsync(talk.Path, cancellationToken: Ct)).Entries;
        await using var server = await TestServers.InMemoryAsync(new ServerOptions { Library = engine.Library, Model = engine.Model });

        using var json = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/videos/{talk.Id}/transcript?channels=subtitles", Ct));
        var lines = json.RootElement.GetProperty("lines").EnumerateArray().ToArray();

        Assert.Equal("talk.mp4", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(cues.Count, lines.Length);
        for (var i = 0; i < cues.Count; i++)
        {
            Assert.Equal("subtitles", lines[i].GetProperty("channel").GetString());
            Assert.Equal(cues[i].Start, lines[i].GetProperty("start").GetDouble(), 3);
            Assert.Equal(cues[i].Text, lines[i].GetProperty("text").GetString());
        }
        using var missing = await server.Client.GetAsync("/api/videos/987654/transcript", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var wrong = await server.Client.GetAsync($"/api/videos/{talk.Id}/transcript?channels=pixels", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
    }
}
