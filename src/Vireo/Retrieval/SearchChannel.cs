using Vireo.Errors;
using Vireo.TimedText;

namespace Vireo.Retrieval;

/// <summary>What a library search looks at: the pictures, or one of the timed-text channels stored with the videos.</summary>
public enum SearchChannel
{
    /// <summary>The clip embeddings (the sentence against the pictures).</summary>
    Visual,

    /// <summary>Subtitle cues (embedded tracks and sidecar files), by their words.</summary>
    Subtitles,

    /// <summary>Transcribed speech, by its words.</summary>
    Speech,

    /// <summary>On-screen text, by its words.</summary>
    Ocr,
}

/// <summary>Sets of search channels: every one, parsing <c>visual,subtitles,ocr</c>, and the text channels among them.</summary>
public static class SearchChannels
{
    /// <summary>Every channel: the default of a search (a channel with nothing stored adds nothing).</summary>
    public static IReadOnlySet<SearchChannel> All { get; } = new HashSet<SearchChannel>(Enum.GetValues<SearchChannel>());

    /// <summary>The channel's name as the command line and the API write it.</summary>
    public static string Name(SearchChannel channel) => channel.ToString().ToLowerInvariant();

    /// <summary>The search channel of a timed-text channel.</summary>
    public static SearchChannel Of(TextChannel channel) => channel switch
    {
        TextChannel.Subtitles => SearchChannel.Subtitles,
        TextChannel.Speech => SearchChannel.Speech,
        TextChannel.Ocr => SearchChannel.Ocr,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not a text channel"),
    };

    /// <summary>The timed-text channels among <paramref name="channels"/>.</summary>
    public static IReadOnlyList<TextChannel> TextChannels(IReadOnlySet<SearchChannel> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var text = new List<TextChannel>(3);
        foreach (var channel in Enum.GetValues<TextChannel>())
        {
            if (channels.Contains(Of(channel)))
                text.Add(channel);
        }
        return text;
    }

    /// <summary>The channels that found something: visual when the pictures did, then each text channel with a matched entry.</summary>
    public static IReadOnlyList<SearchChannel> Matched(bool visual, IReadOnlyList<MatchedText> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var channels = new List<SearchChannel>(4);
        if (visual)
            channels.Add(SearchChannel.Visual);
        foreach (var entry in text)
        {
            var channel = Of(entry.Channel);
            if (!channels.Contains(channel))
                channels.Add(channel);
        }
        return channels;
    }

    /// <summary>Parses a comma-separated list (<c>visual,subtitles,ocr</c>; any case, spaces allowed).</summary>
    /// <exception cref="UsageException">A name is not a channel, or the list is empty.</exception>
    public static IReadOnlySet<SearchChannel> Parse(string? list)
    {
        var channels = new HashSet<SearchChannel>();
        foreach (var part in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<SearchChannel>(part, ignoreCase: true, out var channel) || !Enum.IsDefined(channel) || char.IsDigit(part[0]))
                throw new UsageException($"'{part}' is not a search channel; use {string.Join(", ", All.Select(Name))}");
            channels.Add(channel);
        }
        if (channels.Count == 0)
            throw new UsageException($"name at least one channel: {string.Join(", ", All.Select(Name))}");
        return channels;
    }
}
