using System.Text.Json;
using Vireo.Models.Preprocessing;
using Vireo.Models.Tokenization;

namespace Vireo.Models;

/// <summary>
/// A CLIP-family model loaded from a folder (Hugging Face / transformers.js or immich layout): a text encoder
/// and an image encoder that map into one embedding space. Embeddings are always L2-normalised.
/// </summary>
public sealed class EmbeddingModel : IDisposable
{
    private readonly OnnxTower _textTower;
    private readonly OnnxTower _visionTower;

    private EmbeddingModel(ModelFiles files, OnnxTower text, OnnxTower vision, TextEncoder textEncoder, ImageEncoder imageEncoder, ModelIdentity identity)
    {
        Files = files;
        _textTower = text;
        _visionTower = vision;
        Text = textEncoder;
        Image = imageEncoder;
        Identity = identity;
    }

    public ModelFiles Files { get; }

    public TextEncoder Text { get; }

    public ImageEncoder Image { get; }

    /// <summary>Name, embedding size and fingerprint: what a library records.</summary>
    public ModelIdentity Identity { get; }

    public int Dimension => Identity.Dimension;

    /// <summary>Loads the model in <paramref name="folder"/>; <paramref name="name"/> defaults to the folder's name.</summary>
    /// <exception cref="ModelException">The folder matches no layout, or a file is corrupt or has the wrong signature.</exception>
    public static EmbeddingModel Load(string folder, EncoderOptions? options = null, string? name = null)
    {
        options ??= new EncoderOptions();
        var files = ModelFolder.Locate(folder, options.Variant ?? ModelVariant.Default);
        var tokenizer = LoadTokenizer(files);
        var preprocessing = LoadPreprocessing(files);

        OnnxTower? text = null;
        OnnxTower? vision = null;
        try
        {
            var imageSize = preprocessing.OutputSize(1000, 1000);
            text = OnnxTower.Open(files.TextModel ?? files.CombinedModel!, TowerKind.Text, options, imageSize);
            vision = OnnxTower.Open(files.VisionModel ?? files.CombinedModel!, TowerKind.Vision, options, imageSize);
            var textEncoder = new TextEncoder(text, tokenizer, options.BatchSize, files.Root);
            var imageEncoder = new ImageEncoder(vision, new ImagePreprocessor(preprocessing), options.BatchSize);
            var dimension = AgreedDimension(files, text, vision, textEncoder);
            var identity = new ModelIdentity(name ?? Path.GetFileName(files.Root.TrimEnd(Path.DirectorySeparatorChar)), dimension, ModelIdentity.ComputeFingerprint(files), files.Variant);
            return new EmbeddingModel(files, text, vision, textEncoder, imageEncoder, identity);
        }
        catch
        {
            text?.Dispose();
            vision?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Text and image towers must agree on the embedding size. When a model leaves it dynamic, one tiny text
    /// call tells; the image tower is then checked on its first call.
    /// </summary>
    private static int AgreedDimension(ModelFiles files, OnnxTower text, OnnxTower vision, TextEncoder textEncoder)
    {
        var textDimension = text.EmbeddingDimension ?? textEncoder.Encode(string.Empty).Length;
        if (vision.EmbeddingDimension is { } visionDimension && visionDimension != textDimension)
            throw new ModelFileException(text.Path, $"the text tower makes {textDimension}-d embeddings and the image tower ({vision.Path}) {visionDimension}-d; they must match");
        return textDimension;
    }

    private static ClipTokenizer LoadTokenizer(ModelFiles files)
    {
        try
        {
            var tokenizer = ClipTokenizer.FromFolder(files.TokenizerFolder);
            return ContextLengthFromConfig(files) is { } context ? tokenizer.With(contextLength: context) : tokenizer;
        }
        catch (TokenizerFormatException e)
        {
            throw new ModelFileException(e.FilePath, "tokenizer: " + e.Problem, e);
        }
        catch (FileNotFoundException e)
        {
            throw new ModelFileException(files.TokenizerFolder, e.Message, e);
        }
    }

    private static ImagePreprocessing LoadPreprocessing(ModelFiles files)
    {
        if (files.PreprocessorConfig is not { } path)
            return ImagePreprocessing.Clip;
        try
        {
            return files.Layout == ModelLayout.Immich ? ImagePreprocessing.FromImmich(path) : ImagePreprocessing.FromHuggingFace(path);
        }
        catch (PreprocessingConfigException e)
        {
            throw new ModelFileException(path, e.Message, e);
        }
    }

    /// <summary>immich's config.json gives the text context length (text_cfg.context_length).</summary>
    private static int? ContextLengthFromConfig(ModelFiles files)
    {
        if (files.Layout != ModelLayout.Immich || files.Config is not { } path)
            return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("text_cfg", out var text) && text.TryGetProperty("context_length", out var length) && length.TryGetInt32(out var value)
                ? value
                : null;
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, "config.json is not valid JSON: " + e.Message, e);
        }
    }

    public void Dispose()
    {
        _textTower.Dispose();
        _visionTower.Dispose();
    }
}
