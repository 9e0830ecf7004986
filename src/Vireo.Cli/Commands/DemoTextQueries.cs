using Vireo.Library;
using Vireo.TimedText;

namespace Vireo.Cli.Commands;

/// <summary>
/// Example sentences for the demo taken from what it read in the videos (a subtitle cue, then a slide): the words of one
/// entry, so that the demo shows the text channels answering with the right times whatever the folder holds.
/// </summary>
internal static class DemoTextQueries
{
    private const int WordsPerQuery = 4;

    public static IReadOnlyList<string> From(VideoLibrary library)
    {
        var queries = new List<string>();
        foreach (var channel in new[] { TextChannel.Subtitles, TextChannel.Ocr })
        {
            foreach (var video in library.ListVideos())
            {
                var entry = library.ReadTimedText(video.Id, [channel]).Select(e => Words(e.Text)).FirstOrDefault(w => w.Length >= WordsPerQuery);
                if (entry is null)
                    continue;
                queries.Add(string.Join(' ', entry.Take(WordsPerQuery)));
                break;
            }
        }
        return queries;
    }

    private static string[] Words(string text) =>
        [.. text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('.', ',', '!', '?', ';', ':', '"', '\'')).Where(w => w.Length > 2 && w.All(char.IsLetter))];
}
