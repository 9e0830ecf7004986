namespace Vireo.Models.Preprocessing;

/// <summary>How the image is brought to the model's size.</summary>
public enum ResizeMode
{
    /// <summary>The shorter side to <see cref="ImagePreprocessing.Size"/> (the longer to int(size·long/short)), then a center crop.</summary>
    Shortest,

    /// <summary>Both sides to exactly <see cref="ImagePreprocessing.Size"/>, ignoring the aspect ratio.</summary>
    Squash,
}

/// <summary>The resampling filter, as PIL implements it (antialiased when shrinking).</summary>
public enum ResampleFilter
{
    /// <summary>PIL's BICUBIC (3): cubic convolution with a = -0.5, support 2.</summary>
    Bicubic,

    /// <summary>PIL's BILINEAR (2): triangle filter, support 1.</summary>
    Bilinear,
}

/// <summary>
/// A vision model's image preprocessing: resize (PIL-compatible), center crop, rescale, normalize, as float32
/// CHW RGB. <see cref="Clip"/> is OpenAI CLIP's; <see cref="FromHuggingFace"/> and <see cref="FromImmich"/> read
/// the settings a model ships with.
/// </summary>
public sealed partial record ImagePreprocessing
{
    /// <summary>CLIP's channel means (RGB, on 0..1 values).</summary>
    public static readonly IReadOnlyList<float> ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];

    /// <summary>CLIP's channel standard deviations (RGB, on 0..1 values).</summary>
    public static readonly IReadOnlyList<float> ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>OpenAI CLIP ViT-B/32 and ViT-B/16: shorter side 224 bicubic, center crop 224, CLIP mean/std.</summary>
    public static ImagePreprocessing Clip { get; } = new();

    /// <summary>Whether to resize at all (Hugging Face's do_resize).</summary>
    public bool DoResize { get; init; } = true;

    /// <summary>The target of the resize: the shorter side (<see cref="ResizeMode.Shortest"/>) or both sides (<see cref="ResizeMode.Squash"/>).</summary>
    public int Size { get; init; } = 224;

    /// <summary>The target height when it differs from the width (squash only); null means <see cref="Size"/>.</summary>
    public int? SquashHeight { get; init; }

    public ResizeMode ResizeMode { get; init; } = ResizeMode.Shortest;

    public ResampleFilter Interpolation { get; init; } = ResampleFilter.Bicubic;

    /// <summary>Whether to center-crop to <see cref="CropWidth"/> x <see cref="CropHeight"/> (zero-padding an image smaller than the crop).</summary>
    public bool DoCenterCrop { get; init; } = true;

    public int CropWidth { get; init; } = 224;

    public int CropHeight { get; init; } = 224;

    /// <summary>Whether to multiply the 0..255 values by <see cref="RescaleFactor"/>.</summary>
    public bool DoRescale { get; init; } = true;

    public double RescaleFactor { get; init; } = 1 / 255.0;

    /// <summary>Whether to apply (value - mean) / std per channel.</summary>
    public bool DoNormalize { get; init; } = true;

    /// <summary>Per-channel mean, RGB.</summary>
    public IReadOnlyList<float> Mean { get; init; } = ClipMean;

    /// <summary>Per-channel standard deviation, RGB.</summary>
    public IReadOnlyList<float> Std { get; init; } = ClipStd;

    /// <summary>The output size (width, height) for an input of the given size.</summary>
    public (int Width, int Height) OutputSize(int inputWidth, int inputHeight)
    {
        if (DoCenterCrop)
            return (CropWidth, CropHeight);
        return DoResize ? ResizedSize(inputWidth, inputHeight) : (inputWidth, inputHeight);
    }

    /// <summary>The size (width, height) of the resized image before the crop.</summary>
    public (int Width, int Height) ResizedSize(int inputWidth, int inputHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputHeight);
        if (!DoResize)
            return (inputWidth, inputHeight);
        if (ResizeMode == ResizeMode.Squash)
            return (Size, SquashHeight ?? Size);
        // torchvision and Hugging Face: the longer side is int(size * long / short), truncated.
        return inputWidth <= inputHeight
            ? (Size, (int)((double)Size * inputHeight / inputWidth))
            : ((int)((double)Size * inputWidth / inputHeight), Size);
    }

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Size <= 0 || SquashHeight is <= 0 || CropWidth <= 0 || CropHeight <= 0)
            throw new ArgumentException($"sizes must be positive (size {Size}, crop {CropWidth}x{CropHeight})");
        if (Mean.Count != 3 || Std.Count != 3)
            throw new ArgumentException($"mean and std need 3 values (RGB); got {Mean.Count} and {Std.Count}");
        if (Std.Any(s => !(s > 0)))
            throw new ArgumentException("std values must be positive");
    }
}
