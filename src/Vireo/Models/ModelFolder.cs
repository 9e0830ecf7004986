namespace Vireo.Models;

/// <summary>Recognises a model folder's layout from the files it holds.</summary>
public static class ModelFolder
{
    private const string ExpectedLayouts =
        "a Hugging Face / transformers.js folder (onnx/text_model.onnx and onnx/vision_model.onnx, or onnx/model.onnx, " +
        "or the same files at the top; plus tokenizer.json or vocab.json + merges.txt) or an immich folder " +
        "(textual/model.onnx, visual/model.onnx, visual/preprocess_cfg.json, config.json)";

    public static ModelFiles Locate(string folder, ModelVariant variant = ModelVariant.Default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
            throw new ModelFolderException(folder, "the model folder does not exist", [], ExpectedLayouts);

        if (File.Exists(Path.Combine(root, "textual", "model.onnx")) || File.Exists(Path.Combine(root, "visual", "model.onnx")))
            return LocateImmich(folder, root, variant);
        return LocateHuggingFace(folder, root, variant);
    }

    /// <summary>The first of <paramref name="folders"/> that exists but may not be listed by this user, or null.</summary>
    private static string? UnreadableFolder(params string[] folders)
    {
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
                continue;
            try
            {
                using var entries = Directory.EnumerateFileSystemEntries(folder).GetEnumerator();
                entries.MoveNext();
            }
            catch (UnauthorizedAccessException)
            {
                return folder;
            }
        }
        return null;
    }

    /// <summary>The files under <paramref name="root"/> (two levels deep), for error messages.</summary>
    internal static List<string> Inventory(string root)
    {
        if (!Directory.Exists(root))
            return [];
        return Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 })
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Take(40)
            .ToList();
    }

    private static ModelFiles LocateHuggingFace(string folder, string root, ModelVariant variant)
    {
        var suffix = variant.FileSuffix();
        string? Find(string name)
        {
            foreach (var dir in new[] { Path.Combine(root, "onnx"), root })
            {
                var path = Path.Combine(dir, name + suffix + ".onnx");
                if (File.Exists(path))
                    return path;
            }
            return null;
        }

        var text = Find("text_model");
        var vision = Find("vision_model");
        var combined = Find("model");
        if (text is null && vision is null && combined is null)
        {
            if (UnreadableFolder(root, Path.Combine(root, "onnx")) is { } unreadable)
                throw new ModelFileException(unreadable, "cannot be read: permission denied (this user may not list the folder)");
            var problem = variant == ModelVariant.Default
                ? "no supported model layout"
                : $"no {variant.ToString().ToLowerInvariant()} variant (*{suffix}.onnx)";
            throw new ModelFolderException(folder, problem, Inventory(root), ExpectedLayouts);
        }
        if ((text is null || vision is null) && combined is null)
        {
            var missing = text is null ? "text_model" + suffix + ".onnx" : "vision_model" + suffix + ".onnx";
            throw new ModelFolderException(folder, $"{missing} is missing and there is no combined model{suffix}.onnx", Inventory(root), ExpectedLayouts);
        }
        RequireTokenizer(folder, root, root);
        return new ModelFiles
        {
            Root = root,
            Layout = ModelLayout.HuggingFace,
            Variant = variant,
            TextModel = text,
            VisionModel = vision,
            CombinedModel = combined,
            PreprocessorConfig = Existing(Path.Combine(root, "preprocessor_config.json")),
            Config = Existing(Path.Combine(root, "config.json")),
            TokenizerFolder = root,
            TokenizerConfig = Existing(Path.Combine(root, "tokenizer_config.json")),
        };
    }

    private static ModelFiles LocateImmich(string folder, string root, ModelVariant variant)
    {
        if (variant == ModelVariant.Fp16)
            throw new ModelFolderException(folder, "immich folders have no fp16 variant", Inventory(root), "the default variant, or the quantized one written by 'vireo models quantize'");
        var text = Path.Combine(root, "textual", "model" + variant.FileSuffix() + ".onnx");
        var vision = Path.Combine(root, "visual", "model" + variant.FileSuffix() + ".onnx");
        var preprocess = Path.Combine(root, "visual", "preprocess_cfg.json");
        var config = Path.Combine(root, "config.json");
        var missing = new[] { text, vision, preprocess, config }.Where(p => !File.Exists(p)).Select(p => Path.GetRelativePath(root, p)).ToList();
        if (missing.Count > 0)
            throw new ModelFolderException(folder, "immich layout incomplete: missing " + string.Join(", ", missing), Inventory(root), ExpectedLayouts);
        var tokenizerFolder = HasTokenizer(Path.Combine(root, "textual")) ? Path.Combine(root, "textual") : root;
        RequireTokenizer(folder, root, tokenizerFolder);
        return new ModelFiles
        {
            Root = root,
            Layout = ModelLayout.Immich,
            Variant = variant,
            TextModel = text,
            VisionModel = vision,
            PreprocessorConfig = preprocess,
            Config = config,
            TokenizerFolder = tokenizerFolder,
            TokenizerConfig = Existing(Path.Combine(tokenizerFolder, "tokenizer_config.json")),
        };
    }

    internal static bool HasTokenizer(string folder) =>
        File.Exists(Path.Combine(folder, "tokenizer.json"))
        || (File.Exists(Path.Combine(folder, "vocab.json")) && File.Exists(Path.Combine(folder, "merges.txt")))
        || File.Exists(Path.Combine(folder, "bpe_simple_vocab_16e6.txt.gz"));

    private static void RequireTokenizer(string folder, string root, string tokenizerFolder)
    {
        if (!HasTokenizer(tokenizerFolder))
            throw new ModelFolderException(folder, "no tokenizer files", Inventory(root),
                "tokenizer.json, or vocab.json + merges.txt, or bpe_simple_vocab_16e6.txt.gz next to the model");
    }

    private static string? Existing(string path) => File.Exists(path) ? path : null;
}
