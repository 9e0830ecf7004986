using System.Buffers.Binary;
using Vireo.Temporal;

namespace Vireo.Library;

/// <summary>A video's events as stored beside its clips: little-endian int32 (start, end) clip pairs.</summary>
internal static class EventBlob
{
    public static byte[] Encode(IReadOnlyList<ClipSpan> events)
    {
        var bytes = new byte[events.Count * 8];
        for (var i = 0; i < events.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8 * i), events[i].Start);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8 * i + 4), events[i].End);
        }
        return bytes;
    }

    /// <summary>Decodes and checks the spans lie inside a video of <paramref name="clipCount"/> clips.</summary>
    public static ClipSpan[] Decode(ReadOnlySpan<byte> bytes, int clipCount, string what)
    {
        if (bytes.Length % 8 != 0)
            throw new LibraryException(what, $"stored events have {bytes.Length} bytes, not a whole number of clip spans: the catalog is damaged");
        var events = new ClipSpan[bytes.Length / 8];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = new ClipSpan(BinaryPrimitives.ReadInt32LittleEndian(bytes[(8 * i)..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[(8 * i + 4)..]));
            if (!events[i].IsWithin(clipCount))
                throw new LibraryException(what, $"stored event {events[i]} lies outside the video's {clipCount} clips: the catalog is damaged");
        }
        return events;
    }
}
