using System.Globalization;
using System.Text.Json;

namespace Vireo.Media;

/// <summary>Reads ffprobe's <c>-print_format json -show_format -show_streams</c> output into <see cref="MediaInfo"/>.</summary>
internal static class FfprobeOutput
{
    public static MediaInfo Parse(string path, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f : default;

        var videos = new List<VideoStreamInfo>();
        var audios = new List<AudioStreamInfo>();
        var subtitles = new List<SubtitleStreamInfo>();
        double longestStream = 0;
        if (root.TryGetProperty("streams", out var streams))
        {
            foreach (var stream in streams.EnumerateArray())
            {
                var index = Int(stream, "index") ?? 0;
                var codec = Str(stream, "codec_name") ?? "";
                var language = Tag(stream, "language");
                var streamDuration = Seconds(stream, "duration") ?? TagDuration(stream);
                if (streamDuration is > 0)
                    longestStream = Math.Max(longestStream, streamDuration.Value);
                switch (Str(stream, "codec_type"))
                {
                    case "video" when !Disposition(stream, "attached_pic"):
                        videos.Add(new VideoStreamInfo(
                            index, codec, Str(stream, "codec_tag_string") ?? "",
                            Int(stream, "width") ?? 0, Int(stream, "height") ?? 0,
                            Rational(Str(stream, "avg_frame_rate")) ?? 0,
                            Rational(Str(stream, "r_frame_rate")) ?? 0,
                            Rotation(stream),
                            AspectRatio(Str(stream, "sample_aspect_ratio")),
                            Str(stream, "pix_fmt") ?? "",
                            streamDuration,
                            Long(stream, "nb_frames"),
                            Disposition(stream, "default")));
                        break;
                    case "audio":
                        audios.Add(new AudioStreamInfo(
                            index, codec, Int(stream, "sample_rate") ?? 0, Int(stream, "channels") ?? 0, language));
                        break;
                    case "subtitle":
                        subtitles.Add(new SubtitleStreamInfo(index, codec, language, TrackTitle(stream)));
                        break;
                }
            }
        }

        var duration = format.ValueKind == JsonValueKind.Object ? Seconds(format, "duration") : null;
        return new MediaInfo(
            path,
            format.ValueKind == JsonValueKind.Object ? Str(format, "format_name") ?? "" : "",
            duration is > 0 ? duration.Value : longestStream,
            format.ValueKind == JsonValueKind.Object ? Seconds(format, "start_time") ?? 0 : 0,
            format.ValueKind == JsonValueKind.Object ? Long(format, "size") ?? 0 : 0,
            format.ValueKind == JsonValueKind.Object ? Long(format, "bit_rate") : null,
            videos, audios, subtitles);
    }

    /// <summary>
    /// Clockwise degrees to apply for display. The display matrix's "rotation" is counter-clockwise
    /// (FFmpeg applies its negation when it autorotates); the legacy "rotate" tag is already clockwise.
    /// </summary>
    private static int Rotation(JsonElement stream)
    {
        double? counterClockwise = null;
        if (stream.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (item.TryGetProperty("rotation", out var r) && r.TryGetDouble(out var value))
                    counterClockwise = value;
            }
        }
        double clockwise;
        if (counterClockwise is { } ccw)
            clockwise = -ccw;
        else if (Tag(stream, "rotate") is { } tag && double.TryParse(tag, NumberStyles.Float, CultureInfo.InvariantCulture, out var t))
            clockwise = t;
        else
            return 0;
        var normalized = ((int)Math.Round(clockwise / 90.0) * 90 % 360 + 360) % 360;
        return normalized;
    }

    private static double AspectRatio(string? text)
    {
        var value = Rational(text?.Replace(':', '/'));
        return value is > 0 ? value.Value : 1;
    }

    /// <summary>Parses "30000/1001" or "25"; null for "0/0", "N/A" or nothing.</summary>
    internal static double? Rational(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain > 0 ? plain : null;
        if (!double.TryParse(text.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var numerator)
            || !double.TryParse(text.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var denominator)
            || denominator == 0 || numerator <= 0)
            return null;
        return numerator / denominator;
    }

    /// <summary>
    /// The title tag; MP4 has none and keeps a track's name in its handler name, which is meaningful unless a muxer's
    /// default ("SubtitleHandler", "Core Media Text").
    /// </summary>
    private static string? TrackTitle(JsonElement stream)
    {
        if (Tag(stream, "title") is { Length: > 0 } title)
            return title;
        var handler = Tag(stream, "handler_name");
        return string.IsNullOrWhiteSpace(handler) || handler.Contains("Handler", StringComparison.OrdinalIgnoreCase)
            || handler.StartsWith("Core Media", StringComparison.OrdinalIgnoreCase) ? null : handler;
    }

    private static bool Disposition(JsonElement stream, string name) =>
        stream.TryGetProperty("disposition", out var d) && d.TryGetProperty(name, out var v)
        && v.ValueKind == JsonValueKind.Number && v.GetInt32() != 0;

    private static string? Tag(JsonElement stream, string name)
    {
        if (!stream.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var tag in tags.EnumerateObject())
        {
            if (string.Equals(tag.Name, name, StringComparison.OrdinalIgnoreCase))
                return tag.Value.GetString();
        }
        return null;
    }

    /// <summary>Matroska keeps stream durations in a "DURATION" tag such as "00:00:10.000000000".</summary>
    private static double? TagDuration(JsonElement stream) =>
        Tag(stream, "DURATION") is { } text && TimeSpan.TryParse(text.Length > 16 ? text[..16] : text, CultureInfo.InvariantCulture, out var span)
            ? span.TotalSeconds
            : null;

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        Long(element, name) is { } value && value is >= int.MinValue and <= int.MaxValue ? (int)value : null;

    private static long? Long(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
            return n;
        return value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
    }

    private static double? Seconds(JsonElement element, string name) =>
        Str(element, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
