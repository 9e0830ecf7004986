using System.Text.Json.Nodes;

namespace Vireo.Synthetic.Layouts;

/// <summary>How preprocessor_config.json spells sizes.</summary>
public enum PreprocessorConfigStyle
{
    /// <summary>CLIPImageProcessor: "size": {"shortest_edge": S}, "crop_size": {"height": S, "width": S}, do_rescale.</summary>
    Current,

    /// <summary>The older CLIPFeatureExtractor files: "size": S, "crop_size": S.</summary>
    Legacy,
}

/// <summary>The image preprocessing side files of both layouts.</summary>
public static class PreprocessingConfigs
{
    // CLIP's normalisation spelled as OpenAI publishes it and the configs carry it. The library's
    // ImagePreprocessing.ClipMean/ClipStd are these values as float32, which cannot spell them back
    // (0.48145466f prints as 0.48145467).
    private static readonly double[] Mean = [0.48145466, 0.4578275, 0.40821073];
    private static readonly double[] Std = [0.26862954, 0.26130258, 0.27577711];

    /// <summary>Hugging Face preprocessor_config.json: resize the shorter side to S (bicubic, resample 3), centre crop S×S, normalise.</summary>
    public static JsonObject HuggingFace(int imageSize, PreprocessorConfigStyle style = PreprocessorConfigStyle.Current)
    {
        var config = new JsonObject
        {
            ["do_resize"] = true,
            ["do_center_crop"] = true,
            ["do_normalize"] = true,
            ["do_convert_rgb"] = true,
            ["resample"] = 3,
            ["image_mean"] = Numbers(Mean),
            ["image_std"] = Numbers(Std),
        };
        if (style == PreprocessorConfigStyle.Current)
        {
            config["image_processor_type"] = "CLIPImageProcessor";
            config["size"] = new JsonObject { ["shortest_edge"] = imageSize };
            config["crop_size"] = new JsonObject { ["height"] = imageSize, ["width"] = imageSize };
            config["do_rescale"] = true;
            config["rescale_factor"] = 1 / 255.0;
        }
        else
        {
            config["feature_extractor_type"] = "CLIPFeatureExtractor";
            config["size"] = imageSize;
            config["crop_size"] = imageSize;
        }
        return config;
    }

    /// <summary>immich visual/preprocess_cfg.json (open_clip's preprocess config): bicubic, resize the shortest side then centre crop.</summary>
    public static JsonObject Immich(int imageSize) => new()
    {
        ["size"] = new JsonArray(imageSize, imageSize),
        ["mode"] = "RGB",
        ["mean"] = Numbers(Mean),
        ["std"] = Numbers(Std),
        ["interpolation"] = "bicubic",
        ["resize_mode"] = "shortest",
        ["fill_color"] = 0,
    };

    private static JsonArray Numbers(IReadOnlyList<double> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
