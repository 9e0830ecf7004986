using System.Buffers;

namespace Vireo.Media;

/// <summary>
/// One sampled frame: packed RGB24 pixels (row-major, 3 bytes per pixel, no padding) and its presentation
/// time. The pixel buffer is rented from a pool; dispose the frame to return it (a frame that is never
/// disposed is simply collected).
/// </summary>
public sealed class VideoFrame : IDisposable
{
    private byte[]? _buffer;

    internal VideoFrame(byte[] rentedBuffer, int width, int height, double timestamp, double requestedTime, int index)
    {
        _buffer = rentedBuffer;
        Width = width;
        Height = height;
        Timestamp = timestamp;
        RequestedTime = requestedTime;
        Index = index;
    }

    /// <summary>Creates a frame over a copy of <paramref name="rgb"/> (tests, images, callers with their own pixels).</summary>
    public static VideoFrame FromRgb(ReadOnlySpan<byte> rgb, int width, int height, double timestamp = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (rgb.Length != width * height * 3)
            throw new ArgumentException($"expected {width * height * 3} bytes of RGB24, got {rgb.Length}", nameof(rgb));
        var buffer = ArrayPool<byte>.Shared.Rent(rgb.Length);
        rgb.CopyTo(buffer);
        return new VideoFrame(buffer, width, height, timestamp, timestamp, 0);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes per row (3 x width).</summary>
    public int Stride => Width * 3;

    /// <summary>Presentation time in seconds from the start of the video, as read from the stream.</summary>
    public double Timestamp { get; }

    /// <summary>The time that was asked for: k/R when sampling at a rate, the requested time otherwise.</summary>
    public double RequestedTime { get; }

    /// <summary>Position of this frame among the frames delivered for one sampling call.</summary>
    public int Index { get; }

    /// <summary>The RGB24 pixels.</summary>
    public ReadOnlySpan<byte> Pixels => Buffer.AsSpan(0, Width * Height * 3);

    /// <summary>The RGB24 pixels as memory (for asynchronous consumers).</summary>
    public ReadOnlyMemory<byte> PixelMemory => Buffer.AsMemory(0, Width * Height * 3);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(VideoFrame));

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
            ArrayPool<byte>.Shared.Return(buffer);
    }

    public override string ToString() => $"frame {Index} at {Timestamp:0.###} s ({Width}x{Height})";
}
