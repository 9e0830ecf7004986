using Vireo.Models.Tokenization;

namespace Vireo.Synthetic.Clip;

/// <summary>The image tower of a CLIP model: a pre-LN vision transformer over square patches.</summary>
public sealed record VisionTowerConfig(int ImageSize, int PatchSize, int Width, int Layers, int Heads, int MlpWidth)
{
    public int GridSize => ImageSize / PatchSize;

    /// <summary>Patches plus the class token.</summary>
    public int Tokens => GridSize * GridSize + 1;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PatchSize);
        if (ImageSize % PatchSize != 0)
            throw new ArgumentException($"image size {ImageSize} is not a multiple of the patch size {PatchSize}");
        RequireHeads(Width, Heads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MlpWidth);
    }

    internal static void RequireHeads(int width, int heads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        if (width % heads != 0)
            throw new ArgumentException($"width {width} is not a multiple of the head count {heads}");
    }
}

/// <summary>The text tower of a CLIP model: a causal pre-LN transformer read at the end-of-text token.</summary>
public sealed record TextTowerConfig(int VocabSize, int ContextLength, int Width, int Layers, int Heads, int MlpWidth)
{
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(VocabSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ContextLength);
        VisionTowerConfig.RequireHeads(Width, Heads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MlpWidth);
    }
}

/// <summary>A CLIP architecture: two towers and the joint embedding size.</summary>
public sealed record ClipArchitecture(string Name, VisionTowerConfig Vision, TextTowerConfig Text, int EmbedDim)
{
    /// <summary>The CLIP vocabulary size, 49,408: 256 bytes ×2, 48,894 merges, 2 specials.</summary>
    public const int ClipVocabSize = 2 * 256 + ClipVocabulary.OpenAiMergeCount + 2;

    public const int ClipContextLength = ClipTokenizer.DefaultContextLength;

    /// <summary>OpenAI CLIP ViT-B/32: 224 px, patch 32, width 768, 12 layers, 12 heads; text width 512, 12 layers, 8 heads; 512-d embeddings.</summary>
    public static ClipArchitecture VitB32 { get; } = new(
        "ViT-B-32",
        new VisionTowerConfig(224, 32, 768, 12, 12, 3072),
        new TextTowerConfig(ClipVocabSize, ClipContextLength, 512, 12, 8, 2048),
        512);

    /// <summary>A tiny model with the same structure: 32 px, patch 8, width 32, 2 layers, 2 heads; 32-d embeddings.</summary>
    public static ClipArchitecture Tiny { get; } = new(
        "tiny",
        new VisionTowerConfig(32, 8, 32, 2, 2, 64),
        new TextTowerConfig(ClipVocabSize, ClipContextLength, 32, 2, 2, 64),
        32);

    internal void Validate()
    {
        Vision.Validate();
        Text.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EmbedDim);
    }
}
