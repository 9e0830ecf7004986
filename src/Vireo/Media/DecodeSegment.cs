namespace Vireo.Media;

/// <summary>
/// One FFmpeg run of a sampling plan: where to seek, how long to read, and the select expression that keeps
/// the wanted frames (in time relative to the seek point).
/// </summary>
internal sealed record DecodeSegment(long SeekMicroseconds, double? ReadDuration, string SelectExpression, bool SkipNonReference = false)
{
    /// <summary>
    /// The segment samples at this rate through the whole video, and may be fed through a <see cref="Relay.PacketRelay"/>
    /// (non-reference pictures no sample needs are left out before decoding), when the relay can serve the video.
    /// </summary>
    public double? RelayRate { get; init; }

    /// <summary>A segment that starts at <paramref name="seekTo"/> seconds, kept to FFmpeg's microsecond resolution.</summary>
    public static DecodeSegment At(double seekTo, double? readDuration, string selectExpression, bool skipNonReference = false) =>
        new((long)Math.Round(seekTo * 1e6), readDuration, selectExpression, skipNonReference);

    public double SeekTo => SeekMicroseconds / 1e6;
}
