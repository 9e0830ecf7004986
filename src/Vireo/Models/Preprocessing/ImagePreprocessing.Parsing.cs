using System.Text.Json;

namespace Vireo.Models.Preprocessing;

public sealed partial record ImagePreprocessing
{
    /// <summary>
    /// From a Hugging Face <c>preprocessor_config.json</c>: <c>size</c> (int or {"shortest_edge"} or
    /// {"height","width"}), <c>crop_size</c> (int or {"height","width"}), <c>resample</c> (3 bicubic, 2 bilinear),
    /// <c>image_mean</c>, <c>image_std</c>, <c>do_resize</c>, <c>do_center_crop</c>, <c>do_rescale</c>,
    /// <c>rescale_factor</c>, <c>do_normalize</c>.
    /// </summary>
    public static ImagePreprocessing FromHuggingFace(string path)
    {
        using var document = ParseConfig(path);
        var config = new ConfigReader(path, document.RootElement);
        var settings = new ImagePreprocessing
        {
            DoResize = config.Bool("do_resize", true),
            DoCenterCrop = config.Bool("do_center_crop", true),
            DoRescale = config.Bool("do_rescale", true),
            RescaleFactor = config.Number("rescale_factor", 1 / 255.0),
            DoNormalize = config.Bool("do_normalize", true),
            Mean = config.Triple("image_mean", ClipMean),
            Std = config.Triple("image_std", ClipStd),
            Interpolation = config.Int("resample", 3) switch
            {
                3 => ResampleFilter.Bicubic,
                2 => ResampleFilter.Bilinear,
                var other => throw config.Error($"resample {other} is not supported (3 = bicubic, 2 = bilinear)"),
            },
        };
        if (config.Has("size"))
        {
            var size = config.Size("size", "shortest_edge");
            settings = size.Height is { } height
                ? settings with { ResizeMode = ResizeMode.Squash, Size = size.Width, SquashHeight = height }
                : settings with { Size = size.Width };
        }
        if (config.Has("crop_size"))
        {
            var crop = config.Size("crop_size", null);
            settings = settings with { CropWidth = crop.Width, CropHeight = crop.Height ?? crop.Width };
        }
        return config.Checked(settings);
    }

    /// <summary>
    /// From immich's (open_clip's) <c>preprocess_cfg.json</c>: <c>size</c> (int or [height, width]), <c>mean</c>,
    /// <c>std</c>, <c>interpolation</c> ("bicubic" or "bilinear"), <c>resize_mode</c> ("shortest" or "squash").
    /// </summary>
    public static ImagePreprocessing FromImmich(string path)
    {
        using var document = ParseConfig(path);
        var config = new ConfigReader(path, document.RootElement);
        if (config.String("mode", "RGB") != "RGB")
            throw config.Error($"mode \"{config.String("mode", "")}\" is not supported; Vireo feeds RGB");
        var (width, height) = config.Size("size", null);
        var settings = new ImagePreprocessing
        {
            Mean = config.Triple("mean", ClipMean),
            Std = config.Triple("std", ClipStd),
            Interpolation = config.String("interpolation", "bicubic") switch
            {
                "bicubic" => ResampleFilter.Bicubic,
                "bilinear" => ResampleFilter.Bilinear,
                var other => throw config.Error($"interpolation \"{other}\" is not supported (bicubic, bilinear)"),
            },
        };
        settings = config.String("resize_mode", "shortest") switch
        {
            "shortest" when height is null || height == width => settings with { Size = width, CropWidth = width, CropHeight = width },
            "shortest" => throw config.Error($"resize_mode \"shortest\" with a non-square size {width}x{height} is not supported"),
            "squash" => settings with { ResizeMode = ResizeMode.Squash, Size = width, SquashHeight = height, DoCenterCrop = false },
            var other => throw config.Error($"resize_mode \"{other}\" is not supported (shortest, squash)"),
        };
        return config.Checked(settings);
    }

    /// <summary>
    /// From a model folder: <c>preprocessor_config.json</c> (Hugging Face), else <c>preprocess_cfg.json</c> or
    /// <c>visual/preprocess_cfg.json</c> (immich); null when there is none.
    /// </summary>
    public static ImagePreprocessing? FromFolder(string directory)
    {
        var huggingFace = Path.Combine(directory, "preprocessor_config.json");
        if (File.Exists(huggingFace))
            return FromHuggingFace(huggingFace);
        foreach (var immich in new[] { Path.Combine(directory, "preprocess_cfg.json"), Path.Combine(directory, "visual", "preprocess_cfg.json") })
        {
            if (File.Exists(immich))
                return FromImmich(immich);
        }
        return null;
    }

    private static JsonDocument ParseConfig(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new PreprocessingConfigException(path, $"invalid JSON at line {e.LineNumber + 1}: {e.Message}", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"preprocessing configuration not found: {path}", path, e);
        }
    }

    /// <summary>Typed reads of a configuration's fields, each failure naming the file and the field.</summary>
    private readonly struct ConfigReader(string path, JsonElement root)
    {
        public bool Has(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

        public PreprocessingConfigException Error(string problem) => new(path, problem);

        public bool Bool(string name, bool fallback) => Get(name) is { } value
            ? value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Error($"{name} is {value.GetRawText()}; expected true or false")
            : fallback;

        public double Number(string name, double fallback) => Get(name) is { } value
            ? value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Error($"{name} is {value.GetRawText()}; expected a number")
            : fallback;

        public int Int(string name, int fallback) => Get(name) is { } value
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw Error($"{name} is {value.GetRawText()}; expected an integer")
            : fallback;

        public string String(string name, string fallback) => Get(name) is { } value
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error($"{name} is {value.GetRawText()}; expected a string")
            : fallback;

        public IReadOnlyList<float> Triple(string name, IReadOnlyList<float> fallback)
        {
            if (Get(name) is not { } value)
                return fallback;
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 3 || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
                throw Error($"{name} is {value.GetRawText()}; expected three numbers (RGB)");
            return value.EnumerateArray().Select(v => v.GetSingle()).ToArray();
        }

        /// <summary>An int (square or shorter side), [height, width], or {"height", "width"} / {<paramref name="edgeKey"/>}.</summary>
        public (int Width, int? Height) Size(string name, string? edgeKey)
        {
            var value = Get(name) ?? throw Error($"no \"{name}\"");
            var size = value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt32(out var side) => (side, (int?)null),
                JsonValueKind.Array when value.GetArrayLength() == 2 && IsInt(value[0], out var h) && IsInt(value[1], out var w) => (w, h),
                JsonValueKind.Object when edgeKey is not null && value.TryGetProperty(edgeKey, out var edge) && IsInt(edge, out var side)
                    && !value.TryGetProperty("longest_edge", out _) => (side, null),
                JsonValueKind.Object when value.TryGetProperty("height", out var h) && value.TryGetProperty("width", out var w)
                    && IsInt(h, out var height) && IsInt(w, out var width) => (width, height),
                _ => throw Error($"{name} is {value.GetRawText()}; expected an integer, [height, width] or {{\"height\", \"width\"}}{(edgeKey is null ? "" : $" or {{\"{edgeKey}\"}}")}"),
            };
            if (size.Item1 <= 0 || size.Item2 is <= 0)
                throw Error($"{name} is {value.GetRawText()}; sizes must be positive");
            return size;
        }

        private static bool IsInt(JsonElement element, out int value)
        {
            value = 0;
            return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
        }

        public ImagePreprocessing Checked(ImagePreprocessing settings)
        {
            try
            {
                settings.Validate();
                return settings;
            }
            catch (ArgumentException e)
            {
                throw new PreprocessingConfigException(path, e.Message, e);
            }
        }

        private JsonElement? Get(string name)
        {
            if (root.ValueKind != JsonValueKind.Object)
                throw Error("expected a JSON object");
            return root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
        }
    }
}
