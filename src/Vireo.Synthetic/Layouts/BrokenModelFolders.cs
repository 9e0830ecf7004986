using Vireo.Models.Tokenization;
using Vireo.Synthetic.Clip;

namespace Vireo.Synthetic.Layouts;

/// <summary>The defects <see cref="BrokenModelFolders"/> can write, each a real-world way a model folder goes wrong.</summary>
public enum BrokenModelKind
{
    /// <summary>A Hugging Face folder whose onnx/vision_model.onnx is cut to half its length (an interrupted download).</summary>
    TruncatedModel,

    /// <summary>A Hugging Face folder whose onnx/text_model.onnx is a Git LFS pointer (a clone without LFS).</summary>
    GitLfsPointer,

    /// <summary>A folder with an .onnx file and other files but none of the files of any known layout.</summary>
    UnrecognizedLayout,

    /// <summary>A Hugging Face folder whose vision model takes "images" instead of "pixel_values".</summary>
    WrongInputName,

    /// <summary>A Hugging Face folder whose text model embeds to half the dimension of its vision model.</summary>
    MismatchedEmbeddingDims,

    /// <summary>A Hugging Face folder without any tokenizer file.</summary>
    MissingTokenizer,
}

/// <summary>A written broken folder and the file (or folder) at fault.</summary>
public sealed record BrokenModelFolder(string Root, BrokenModelKind Kind, string Culprit);

/// <summary>Writes model folders that a loader must reject with a clear error (for error-path tests).</summary>
public static class BrokenModelFolders
{
    public static async Task<BrokenModelFolder> WriteAsync(BrokenModelKind kind, string folder, TokenizerSource tokenizer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var tiny = new RandomClip(ClipArchitecture.Tiny);
        if (kind == BrokenModelKind.UnrecognizedLayout)
        {
            Directory.CreateDirectory(folder);
            var model = Path.Combine(folder, "encoder.onnx");
            await tiny.VisionModel(EncoderSignature.HuggingFaceVision(tiny.EmbedDim)).SaveAsync(model, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(folder, "README.md"), "# my model\nweights exported by hand\n", cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(Path.Combine(folder, "weights.bin"), new byte[1024], cancellationToken).ConfigureAwait(false);
            return new BrokenModelFolder(folder, kind, folder);
        }

        var source = kind == BrokenModelKind.MissingTokenizer ? new NoTokenizer() : tokenizer;
        var written = await ModelFolders.WriteHuggingFaceAsync(tiny, folder, source,
            new HuggingFaceLayoutOptions { Combined = false, Precisions = [WeightPrecision.Float32] }, cancellationToken).ConfigureAwait(false);
        var vision = written.EncoderPath(EncoderKind.Vision);
        var text = written.EncoderPath(EncoderKind.Text);
        switch (kind)
        {
            case BrokenModelKind.TruncatedModel:
                await using (var file = new FileStream(vision, FileMode.Open, FileAccess.Write))
                    file.SetLength(file.Length / 2);
                return new BrokenModelFolder(folder, kind, vision);
            case BrokenModelKind.GitLfsPointer:
                var size = new FileInfo(text).Length;
                await File.WriteAllTextAsync(text,
                    $"version https://git-lfs.github.com/spec/v1\noid sha256:{new string('0', 64)}\nsize {size}\n", cancellationToken).ConfigureAwait(false);
                return new BrokenModelFolder(folder, kind, text);
            case BrokenModelKind.WrongInputName:
                await tiny.VisionModel(EncoderSignature.HuggingFaceVision(tiny.EmbedDim) with { InputName = "images" })
                    .SaveAsync(vision, cancellationToken).ConfigureAwait(false);
                return new BrokenModelFolder(folder, kind, vision);
            case BrokenModelKind.MismatchedEmbeddingDims:
                var narrow = new RandomClip(ClipArchitecture.Tiny with { EmbedDim = tiny.EmbedDim / 2 });
                await narrow.TextModel(EncoderSignature.HuggingFaceText(narrow.EmbedDim)).SaveAsync(text, cancellationToken).ConfigureAwait(false);
                return new BrokenModelFolder(folder, kind, text);
            case BrokenModelKind.MissingTokenizer:
                return new BrokenModelFolder(folder, kind, folder);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private sealed class NoTokenizer : TokenizerSource
    {
        public override ClipVocabulary? Vocabulary => null;

        internal override Task<IReadOnlyList<string>> WriteAsync(string folder, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }
}
