namespace Vireo.Media.Relay;

/// <summary>
/// Decoding timestamps for the relayed packets. NUT's muxer needs them strictly increasing and never after the
/// presentation time; Matroska and other containers that store presentation times only give none, and the muxer's own
/// guess breaks once packets are left out. The decoder does not use them (NUT stores presentation times only), so any
/// valid sequence will do: the container's own when it has them, else the classic reorder-buffer rule: the smallest
/// presentation time among the packets not yet given one, once more than the largest reorder depth H.264 and HEVC allow
/// (16 pictures) are waiting, and times below the first packet's before that.
/// </summary>
internal sealed class DecodingTimes
{
    private const int ReorderDepth = 16;
    private readonly PriorityQueue<long, long> _waiting = new();
    private long _last = long.MinValue;
    private long _first = LibAv.NoTimestamp;
    private long _count;

    /// <summary>The decoding time of the next packet, given its presentation and stored decoding time (either may be missing).</summary>
    public long Next(long pts, long dts)
    {
        if (dts != LibAv.NoTimestamp || pts == LibAv.NoTimestamp)
            return Remember(dts);
        if (_first == LibAv.NoTimestamp)
            _first = pts;
        _waiting.Enqueue(pts, pts);
        var candidate = _waiting.Count > ReorderDepth ? _waiting.Dequeue() : _first - (ReorderDepth + 1) + _count;
        _count++;
        return Remember(Math.Min(pts, Math.Max(candidate, _last + 1)));
    }

    private long Remember(long dts)
    {
        if (dts != LibAv.NoTimestamp)
            _last = dts;
        return dts;
    }
}
