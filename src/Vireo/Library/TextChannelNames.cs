using Vireo.TimedText;

namespace Vireo.Library;

/// <summary>How the catalog names a timed-text channel: <c>subtitles</c>, <c>speech</c>, <c>ocr</c>.</summary>
public static class TextChannelNames
{
    /// <summary>The channel's lower-case name.</summary>
    public static string Name(TextChannel channel) => channel switch
    {
        TextChannel.Subtitles => "subtitles",
        TextChannel.Speech => "speech",
        TextChannel.Ocr => "ocr",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not a text channel"),
    };

    /// <summary>The channel named <paramref name="name"/> (any case), or null.</summary>
    public static TextChannel? Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "subtitles" => TextChannel.Subtitles,
        "speech" => TextChannel.Speech,
        "ocr" => TextChannel.Ocr,
        _ => null,
    };
}
