using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vireo.Answers;

/// <summary>
/// How a client names a video: its catalog id in one library (a JSON number, as always); in a cluster, where every
/// shard numbers its own videos, the id qualified by its shard, a JSON string such as <c>"node1~videos~42"</c> (the
/// shard's name with '/' written as '~', then '~' and the id: no character that needs escaping in a URL path).
/// </summary>
[JsonConverter(typeof(VideoKeyJsonConverter))]
public readonly record struct VideoKey(long Id, string? Shard = null)
{
    private const char Separator = '~';

    public static implicit operator VideoKey(long id) => new(id);

    public static VideoKey FromInt64(long id) => new(id);

    public override string ToString() =>
        Shard is null ? Id.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{Shard.Replace('/', Separator)}{Separator}{Id}");

    /// <summary>Reads a key as <see cref="ToString"/> writes it; false for anything else.</summary>
    public static bool TryParse(string? text, out VideoKey key)
    {
        key = default;
        if (string.IsNullOrEmpty(text))
            return false;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            key = new VideoKey(id);
            return true;
        }
        var at = text.LastIndexOf(Separator);
        if (at <= 0 || !long.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out id))
            return false;
        key = new VideoKey(id, text[..at].Replace(Separator, '/'));
        return true;
    }
}

/// <summary>A <see cref="VideoKey"/> as a JSON number (one library) or string (a cluster); reads either.</summary>
public sealed class VideoKeyJsonConverter : JsonConverter<VideoKey>
{
    public override VideoKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => new VideoKey(reader.GetInt64()),
        JsonTokenType.String when VideoKey.TryParse(reader.GetString(), out var key) => key,
        _ => throw new JsonException("a video id is a number, or in a cluster a string such as \"node1~videos~42\""),
    };

    public override void Write(Utf8JsonWriter writer, VideoKey value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Shard is null)
            writer.WriteNumberValue(value.Id);
        else
            writer.WriteStringValue(value.ToString());
    }
}
