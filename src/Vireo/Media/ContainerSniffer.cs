namespace Vireo.Media;

/// <summary>
/// Recognises common media containers from their first bytes. Used to tell a damaged video (a container
/// signature FFmpeg then fails to read, e.g. an MP4 cut before its index) from a file that is not media at all.
/// </summary>
internal static class ContainerSniffer
{
    public static bool LooksLikeMedia(string path)
    {
        Span<byte> head = stackalloc byte[400];
        int read;
        try
        {
            using var stream = File.OpenRead(path);
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        return LooksLikeMedia(head[..read]);
    }

    internal static bool LooksLikeMedia(ReadOnlySpan<byte> head)
    {
        if (head.Length < 12)
            return false;
        ReadOnlySpan<byte> ftyp = "ftyp"u8, free = "free"u8, mdat = "mdat"u8, moov = "moov"u8, wide = "wide"u8;
        var box = head.Slice(4, 4);
        if (box.SequenceEqual(ftyp) || box.SequenceEqual(free) || box.SequenceEqual(mdat) || box.SequenceEqual(moov) || box.SequenceEqual(wide))
            return true;                                                         // ISO BMFF / QuickTime
        if (head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3)
            return true;                                                         // Matroska / WebM (EBML)
        if (head[..4].SequenceEqual("RIFF"u8) && head.Slice(8, 4).SequenceEqual("AVI "u8))
            return true;                                                         // AVI
        if (head[..4].SequenceEqual("OggS"u8) || head[..3].SequenceEqual("FLV"u8))
            return true;
        if (head[0] == 0 && head[1] == 0 && head[2] == 1 && head[3] == 0xBA)
            return true;                                                         // MPEG program stream
        if (head[0] == 0x47 && head.Length > 188 && head[188] == 0x47)
            return true;                                                         // MPEG transport stream
        return false;
    }
}
