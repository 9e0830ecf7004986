using Vireo.Errors;
using Vireo.Library;
using Vireo.TimedText;

namespace Vireo.Answers;

/// <summary>One timed line of a video's transcript, as a client shows it.</summary>
public sealed record TranscriptLine(string Channel, string? Language, double Start, double End, string Text, double Confidence);

/// <summary>What is said and written in one library video, from its stored timed text, in time order.</summary>
public sealed record TranscriptAnswer(VideoKey VideoId, string Name, IReadOnlyList<string> Channels, IReadOnlyList<TranscriptLine> Lines);

/// <summary>Transcripts of library videos as answers.</summary>
public static class TranscriptAnswers
{
    /// <summary>The stored timed text of <paramref name="videoId"/> in <paramref name="channels"/> (all when null).</summary>
    /// <exception cref="InputException">No indexed video has that id (<see cref="ErrorKind.NotFound"/>).</exception>
    public static TranscriptAnswer Of(VideoLibrary library, long videoId, IReadOnlyCollection<TextChannel>? channels = null)
    {
        ArgumentNullException.ThrowIfNull(library);
        if (library.Find(videoId) is not { Status: VideoStatus.Indexed } video)
            throw new InputException(null, $"the library has no indexed video {videoId}", ErrorKind.NotFound);
        var entries = library.ReadTimedText(videoId, channels);
        var lines = entries
            .OrderBy(e => e.Start).ThenBy(e => e.End)
            .Select(e => new TranscriptLine(TextChannelNames.Name(e.Channel), e.Language, AnswerNumbers.Round(e.Start), AnswerNumbers.Round(e.End), e.Text, AnswerNumbers.Round(e.Confidence)))
            .ToList();
        var read = library.TextChannelsOf(videoId).Select(TextChannelNames.Name).Order(StringComparer.Ordinal).ToList();
        return new TranscriptAnswer(videoId, Path.GetFileName(video.Path), read, lines);
    }
}
