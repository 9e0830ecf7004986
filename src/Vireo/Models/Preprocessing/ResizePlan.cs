namespace Vireo.Models.Preprocessing;

/// <summary>
/// What one input size needs: the resized size, the crop window in resized coordinates, and the
/// resampling weights of the two passes restricted to the pixels the crop keeps (null where PIL skips the
/// pass because that side keeps its size).
/// </summary>
internal sealed class ResizePlan
{
    private ResizePlan(ImagePreprocessing settings, int inputWidth, int inputHeight)
    {
        InputWidth = inputWidth;
        InputHeight = inputHeight;
        var (resizedWidth, resizedHeight) = settings.ResizedSize(inputWidth, inputHeight);
        (OutputWidth, OutputHeight) = settings.OutputSize(inputWidth, inputHeight);
        Left = CropOffset(resizedWidth, OutputWidth);
        Top = CropOffset(resizedHeight, OutputHeight);
        KeptLeft = Math.Max(Left, 0);
        KeptRight = Math.Min(Left + OutputWidth, resizedWidth);
        KeptTop = Math.Max(Top, 0);
        KeptBottom = Math.Min(Top + OutputHeight, resizedHeight);
        if (resizedWidth != inputWidth)
            Horizontal = ResampleCoefficients.Create(inputWidth, resizedWidth, settings.Interpolation, KeptLeft, KeptRight - KeptLeft);
        if (resizedHeight != inputHeight)
            Vertical = ResampleCoefficients.Create(inputHeight, resizedHeight, settings.Interpolation, KeptTop, KeptBottom - KeptTop);
        FirstInputRow = Vertical?.FirstInput ?? KeptTop;
        EndInputRow = Vertical?.EndInput ?? KeptBottom;
    }

    public int InputWidth { get; }

    public int InputHeight { get; }

    public int OutputWidth { get; }

    public int OutputHeight { get; }

    /// <summary>Where the crop starts in the resized image (negative when the crop is wider: zero padding).</summary>
    public int Left { get; }

    public int Top { get; }

    /// <summary>The resized columns [KeptLeft, KeptRight) and rows [KeptTop, KeptBottom) that land in the output.</summary>
    public int KeptLeft { get; }

    public int KeptRight { get; }

    public int KeptTop { get; }

    public int KeptBottom { get; }

    public int KeptWidth => KeptRight - KeptLeft;

    /// <summary>The input rows the output reads.</summary>
    public int FirstInputRow { get; }

    public int EndInputRow { get; }

    public ResampleCoefficients? Horizontal { get; }

    public ResampleCoefficients? Vertical { get; }

    /// <summary>Whether part of the output lies outside the resized image.</summary>
    public bool Pads => KeptWidth < OutputWidth || KeptBottom - KeptTop < OutputHeight;

    public static ResizePlan Create(ImagePreprocessing settings, int inputWidth, int inputHeight) => new(settings, inputWidth, inputHeight);

    // torchvision's center crop: round((size - crop) / 2) half to even; a crop larger than the image pads
    // (crop - size) // 2 on the left/top.
    private static int CropOffset(int size, int crop) =>
        size >= crop ? (int)Math.Round((size - crop) / 2.0, MidpointRounding.ToEven) : -((crop - size) / 2);
}
