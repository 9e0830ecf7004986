namespace Vireo.Media.Relay;

/// <summary>
/// Tells from a packet's bytes what its picture means to the others: a non-reference picture is one no other picture is
/// predicted from, so a decoder may skip it without changing any other frame (what FFmpeg's <c>-skip_frame noref</c>
/// skips: H.264 slices with <c>nal_ref_idc</c> 0; HEVC sub-layer non-reference slices — TRAIL_N, TSA_N, STSA_N, RADL_N,
/// RASL_N — of the highest temporal sub-layer); an instantaneous decoder refresh (H.264 IDR, HEVC IDR_W_RADL / IDR_N_LP)
/// is one after which no picture refers to any before it. NAL units are length-prefixed (avcC / hvcC extradata, as in MP4
/// and Matroska) or in Annex B with start codes. Anything it cannot read counts as a reference picture and no refresh.
/// </summary>
internal sealed class PictureKinds
{
    private readonly bool _hevc;
    private readonly int _lengthSize; // 0: Annex B
    private readonly int _highestTemporalId;

    private PictureKinds(bool hevc, int lengthSize, int highestTemporalId) =>
        (_hevc, _lengthSize, _highestTemporalId) = (hevc, lengthSize, highestTemporalId);

    /// <summary>The reader for a stream of <paramref name="codecId"/> with this extradata, or null when pictures cannot be told apart.</summary>
    public static PictureKinds? For(int codecId, ReadOnlySpan<byte> extradata)
    {
        var configured = extradata.Length > 0 && extradata[0] == 1;
        switch (codecId)
        {
            case LibAv.H264 when configured && extradata.Length >= 7:
                return new PictureKinds(false, (extradata[4] & 3) + 1, 0);
            case LibAv.H264:
                return new PictureKinds(false, 0, 0);
            case LibAv.Hevc when configured && extradata.Length >= 23:
                // numTemporalLayers: 0 means unknown, and then no picture is known to be of the highest sub-layer.
                var layers = (extradata[21] >> 3) & 7;
                return layers == 0 ? null : new PictureKinds(true, (extradata[21] & 3) + 1, layers - 1);
            default:
                return null;
        }
    }

    /// <summary>True when every picture slice of the packet is a non-reference one (and it has one).</summary>
    public bool IsNonReference(ReadOnlySpan<byte> packet)
    {
        var slices = 0;
        foreach (var unit in new NalUnits(packet, _lengthSize))
        {
            if (unit.IsEmpty)
                return false;
            if (_hevc ? !HevcSlice(unit, ref slices) : !H264Slice(unit, ref slices))
                return false;
        }
        return slices > 0;
    }

    /// <summary>True when the packet holds an instantaneous decoder refresh picture.</summary>
    public bool IsInstantRefresh(ReadOnlySpan<byte> packet)
    {
        foreach (var unit in new NalUnits(packet, _lengthSize))
        {
            if (unit.IsEmpty)
                return false;
            if (_hevc ? ((unit[0] >> 1) & 0x3F) is 19 or 20 : (unit[0] & 0x1F) == 5)
                return true;
        }
        return false;
    }

    /// <summary>False for a reference slice (or an unreadable unit); counts non-reference slices.</summary>
    private static bool H264Slice(ReadOnlySpan<byte> unit, ref int slices)
    {
        var type = unit[0] & 0x1F;
        if (type is < 1 or > 5)
            return true;
        if ((unit[0] & 0x60) != 0)
            return false;
        slices++;
        return true;
    }

    private bool HevcSlice(ReadOnlySpan<byte> unit, ref int slices)
    {
        if (unit.Length < 2)
            return false;
        var type = (unit[0] >> 1) & 0x3F;
        if (type > 31)
            return true;
        var temporalId = (unit[1] & 7) - 1;
        if (type > 14 || type % 2 != 0 || temporalId != _highestTemporalId)
            return false;
        slices++;
        return true;
    }

    /// <summary>The NAL units of a packet; an empty unit means the packet could not be split.</summary>
    private ref struct NalUnits(ReadOnlySpan<byte> data, int lengthSize)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;
        private bool _broken;

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly NalUnits GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_broken || _position >= _data.Length)
                return false;
            return lengthSize > 0 ? NextPrefixed() : NextAnnexB();
        }

        private bool NextPrefixed()
        {
            if (_position + lengthSize > _data.Length)
                return Broken();
            var length = 0L;
            for (var i = 0; i < lengthSize; i++)
                length = (length << 8) | _data[_position + i];
            _position += lengthSize;
            if (length <= 0 || _position + length > _data.Length)
                return Broken();
            Current = _data.Slice(_position, (int)length);
            _position += (int)length;
            return true;
        }

        private bool NextAnnexB()
        {
            var start = StartCodeEnd(_position);
            if (start < 0)
                return _position == 0 ? Broken() : false;
            var next = _data[start..].IndexOf((ReadOnlySpan<byte>)[0, 0, 1]);
            var end = next < 0 ? _data.Length : start + next;
            _position = end;
            while (end > start && _data[end - 1] == 0)
                end--; // trailing zeros belong to the next start code
            Current = _data[start..end];
            return Current.Length > 0 || Broken();
        }

        private readonly int StartCodeEnd(int from)
        {
            var at = _data[from..].IndexOf((ReadOnlySpan<byte>)[0, 0, 1]);
            return at < 0 ? -1 : from + at + 3;
        }

        private bool Broken()
        {
            _broken = true;
            Current = default;
            return true;
        }
    }
}
