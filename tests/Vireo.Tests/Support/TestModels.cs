using System.Collections.Concurrent;
using Vireo.Synthetic.Clip;
using Vireo.Synthetic.Concepts;
using Vireo.Synthetic.Layouts;

namespace Vireo.Tests.Support;

/// <summary>
/// Synthetic model folders written once per test run, on first use, in the run's temporary folder (see
/// <see cref="TestVideos.Folder"/>). They need CLIP's merges from ../shared for their tokenizer files, so tests
/// that use them skip when ../shared is absent.
/// </summary>
public static class TestModels
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<SyntheticModelFolder>>> Made = new();

    /// <summary>
    /// A small random CLIP with ViT-B/32's widths where the trained grounders read them (512-d image embeddings, 512-wide
    /// token states; one layer per tower, 32 px images) as a Hugging Face folder with only the fp32 encoders.
    /// </summary>
    public static Task<SyntheticModelFolder> Width512HuggingFaceAsync() =>
        Make("width512-hf", async (folder, tokenizer) => await ModelFolders.WriteHuggingFaceAsync(
            new RandomClip(new ClipArchitecture("width-512",
                new VisionTowerConfig(32, 8, 64, 1, 2, 128),
                new TextTowerConfig(ClipArchitecture.ClipVocabSize, ClipArchitecture.ClipContextLength, 512, 1, 8, 512), 512)),
            folder, tokenizer, new HuggingFaceLayoutOptions { Combined = false, Precisions = [WeightPrecision.Float32] }));

    /// <summary>The tiny random CLIP (32 px, 32-d) as a Hugging Face folder: onnx/ with fp32, fp16 and quantized text, vision and combined models.</summary>
    public static Task<SyntheticModelFolder> TinyHuggingFaceAsync() =>
        Make("tiny-hf", async (folder, tokenizer) => await ModelFolders.WriteHuggingFaceAsync(new RandomClip(ClipArchitecture.Tiny), folder, tokenizer));

    /// <summary>The tiny random CLIP as a flat Hugging Face folder (models beside config.json), float32 only.</summary>
    public static Task<SyntheticModelFolder> TinyHuggingFaceFlatAsync() =>
        Make("tiny-hf-flat", async (folder, tokenizer) => await ModelFolders.WriteHuggingFaceAsync(new RandomClip(ClipArchitecture.Tiny), folder, tokenizer,
            new HuggingFaceLayoutOptions { Flat = true, Combined = false, Precisions = [WeightPrecision.Float32] }));

    /// <summary>The tiny random CLIP as an immich folder.</summary>
    public static Task<SyntheticModelFolder> TinyImmichAsync() =>
        Make("tiny-immich", async (folder, tokenizer) => await ModelFolders.WriteImmichAsync(new RandomClip(ClipArchitecture.Tiny), folder, tokenizer));

    /// <summary>The concept model (512-d, 224 px) as a Hugging Face folder, float32 only, with the combined model.</summary>
    public static Task<SyntheticModelFolder> ConceptHuggingFaceAsync() =>
        Make("concepts-hf", async (folder, tokenizer) => await ModelFolders.WriteHuggingFaceAsync(ConceptClip.FromVocabulary(tokenizer.Vocabulary!), folder, tokenizer,
            new HuggingFaceLayoutOptions { Precisions = [WeightPrecision.Float32] }));

    /// <summary>The concept model as an immich folder.</summary>
    public static Task<SyntheticModelFolder> ConceptImmichAsync() =>
        Make("concepts-immich", async (folder, tokenizer) => await ModelFolders.WriteImmichAsync(ConceptClip.FromVocabulary(tokenizer.Vocabulary!), folder, tokenizer));

    private static Task<SyntheticModelFolder> Make(string name, Func<string, TokenizerSource, Task<SyntheticModelFolder>> write)
    {
        _ = ClipTestVocabulary.MergesPath; // skips before a failed write is cached
        return Made.GetOrAdd(name, _ => new Lazy<Task<SyntheticModelFolder>>(async () =>
            await write(Path.Combine(TestVideos.Folder, "models", name), ClipTestVocabulary.TokenizerSource()))).Value;
    }
}
