namespace Vireo.Media;

/// <summary>The size of sampled frames, resolved against the video's display size (rotation and pixel aspect applied).</summary>
public readonly record struct FrameSize
{
    private FrameSize(FrameSizeMode mode, int width, int height)
    {
        Mode = mode;
        Width = width;
        Height = height;
    }

    public FrameSizeMode Mode { get; }

    /// <summary>Target width (Exact), or the side length (ShorterSide, LongerSide).</summary>
    public int Width { get; }

    /// <summary>Target height (Exact only).</summary>
    public int Height { get; }

    /// <summary>The video's own display size.</summary>
    public static FrameSize Original => new(FrameSizeMode.Original, 0, 0);

    /// <summary>
    /// The shorter side becomes <paramref name="side"/> and the longer one keeps the aspect ratio, truncated as
    /// CLIP's preprocessing does (<c>int(side * long / short)</c>): 1280x720 at 224 gives 398x224.
    /// </summary>
    public static FrameSize ShorterSide(int side) => new(FrameSizeMode.ShorterSide, Positive(side), 0);

    /// <summary>The longer side becomes <paramref name="side"/> (thumbnails); the aspect ratio is kept.</summary>
    public static FrameSize LongerSide(int side) => new(FrameSizeMode.LongerSide, Positive(side), 0);

    /// <summary>Exactly <paramref name="width"/> x <paramref name="height"/>, stretching if the aspect differs.</summary>
    public static FrameSize Exact(int width, int height) => new(FrameSizeMode.Exact, Positive(width), Positive(height));

    /// <summary>The output size for a video displayed at <paramref name="displayWidth"/> x <paramref name="displayHeight"/>.</summary>
    public (int Width, int Height) Resolve(int displayWidth, int displayHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(displayWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(displayHeight);
        return Mode switch
        {
            FrameSizeMode.Original => (displayWidth, displayHeight),
            FrameSizeMode.Exact => (Width, Height),
            FrameSizeMode.ShorterSide => displayWidth <= displayHeight
                ? (Width, Scale(Width, displayHeight, displayWidth))
                : (Scale(Width, displayWidth, displayHeight), Width),
            FrameSizeMode.LongerSide => displayWidth >= displayHeight
                ? (Width, Math.Max(1, Scale(Width, displayHeight, displayWidth)))
                : (Math.Max(1, Scale(Width, displayWidth, displayHeight)), Width),
            _ => throw new InvalidOperationException("unknown frame size mode"),
        };
    }

    /// <summary>Parses "original", "224" (shorter side), "x224" (longer side) or "320x240" (exact).</summary>
    public static FrameSize Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Equals("original", StringComparison.OrdinalIgnoreCase))
            return Original;
        var x = text.IndexOf('x', StringComparison.OrdinalIgnoreCase);
        if (x < 0 && int.TryParse(text, out var side) && side > 0)
            return ShorterSide(side);
        if (x == 0 && int.TryParse(text.AsSpan(1), out var longer) && longer > 0)
            return LongerSide(longer);
        if (x > 0 && int.TryParse(text.AsSpan(0, x), out var w) && int.TryParse(text.AsSpan(x + 1), out var h) && w > 0 && h > 0)
            return Exact(w, h);
        throw new FormatException($"'{text}' is not a frame size: use 'original', N (shorter side), xN (longer side) or WxH");
    }

    public override string ToString() => Mode switch
    {
        FrameSizeMode.Original => "original",
        FrameSizeMode.ShorterSide => Width.ToString(System.Globalization.CultureInfo.InvariantCulture),
        FrameSizeMode.LongerSide => "x" + Width.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"{Width}x{Height}",
    };

    private static int Scale(int side, int numerator, int denominator) => (int)((long)side * numerator / denominator);

    private static int Positive(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
        return value;
    }
}

public enum FrameSizeMode
{
    Original,
    ShorterSide,
    LongerSide,
    Exact,
}
