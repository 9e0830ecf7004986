using Vireo.Media;
using Vireo.Models.Preprocessing;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>Reading preprocessing settings from Hugging Face and immich files, and filling batches in place.</summary>
public sealed class ImagePreprocessingConfigTests
{
    [Fact]
    public void Reads_a_hugging_face_clip_preprocessor_config()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("preprocessor_config.json"), """
            {
              "crop_size": {"height": 224, "width": 224},
              "do_center_crop": true, "do_convert_rgb": true, "do_normalize": true, "do_rescale": true, "do_resize": true,
              "image_mean": [0.48145466, 0.4578275, 0.40821073],
              "image_processor_type": "CLIPImageProcessor",
              "image_std": [0.26862954, 0.26130258, 0.27577711],
              "resample": 3, "rescale_factor": 0.00392156862745098,
              "size": {"shortest_edge": 224}
            }
            """);
        var settings = ImagePreprocessing.FromFolder(folder.Path)!;
        Assert.Equal(ImagePreprocessing.Clip.Size, settings.Size);
        Assert.Equal(ResizeMode.Shortest, settings.ResizeMode);
        Assert.Equal(ResampleFilter.Bicubic, settings.Interpolation);
        Assert.Equal((224, 224), (settings.CropWidth, settings.CropHeight));
        Assert.Equal(ImagePreprocessing.ClipMean, settings.Mean);
        Assert.Equal(ImagePreprocessing.ClipStd, settings.Std);
        Assert.Equal(1 / 255.0, settings.RescaleFactor, 12);
    }

    [Fact]
    public void Reads_the_older_hugging_face_layout_and_other_models_settings()
    {
        using var folder = new TempFolder();
        var path = folder.File("preprocessor_config.json");
        File.WriteAllText(path, """{"size": 256, "crop_size": 240, "resample": 2, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5], "do_center_crop": true}""");
        var settings = ImagePreprocessing.FromHuggingFace(path);
        Assert.Equal(256, settings.Size);
        Assert.Equal((240, 240), (settings.CropWidth, settings.CropHeight));
        Assert.Equal(ResampleFilter.Bilinear, settings.Interpolation);
        Assert.Equal([0.5f, 0.5f, 0.5f], settings.Mean);

        File.WriteAllText(path, """{"size": {"height": 384, "width": 384}, "do_center_crop": false}""");
        var squash = ImagePreprocessing.FromHuggingFace(path);
        Assert.Equal(ResizeMode.Squash, squash.ResizeMode);
        Assert.Equal((384, 384), squash.OutputSize(1280, 720));
    }

    [Theory]
    [InlineData("""{"size": [224, 224], "mode": "RGB", "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711], "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0}""",
        ResizeMode.Shortest, ResampleFilter.Bicubic, 224, 224)]
    [InlineData("""{"size": 256, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "interpolation": "bilinear", "resize_mode": "squash"}""",
        ResizeMode.Squash, ResampleFilter.Bilinear, 256, 256)]
    public void Reads_an_immich_preprocess_cfg(string json, ResizeMode mode, ResampleFilter filter, int width, int height)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("visual"));
        File.WriteAllText(Path.Combine(folder.Path, "visual", "preprocess_cfg.json"), json);
        var settings = ImagePreprocessing.FromFolder(folder.Path)!;
        Assert.Equal(mode, settings.ResizeMode);
        Assert.Equal(filter, settings.Interpolation);
        Assert.Equal((width, height), settings.OutputSize(640, 360));
    }

    [Fact]
    public void A_folder_without_settings_gives_null()
    {
        using var folder = new TempFolder();
        Assert.Null(ImagePreprocessing.FromFolder(folder.Path));
    }

    [Theory]
    [InlineData("preprocessor_config.json", """{"size": {"longest_edge": 224}}""", "size is {\"longest_edge\": 224}")]
    [InlineData("preprocessor_config.json", """{"resample": 1}""", "resample 1 is not supported")]
    [InlineData("preprocessor_config.json", """{"image_mean": [0.5, 0.5]}""", "image_mean is [0.5, 0.5]; expected three numbers")]
    [InlineData("preprocessor_config.json", """{"image_std": [0.5, 0, 0.5]}""", "std values must be positive")]
    [InlineData("preprocessor_config.json", """{"do_resize": "yes"}""", "do_resize is \"yes\"; expected true or false")]
    [InlineData("preprocessor_config.json", "{\n\"size\": 224,\n}", "invalid JSON at line 3")]
    [InlineData("preprocess_cfg.json", """{"size": 224, "interpolation": "lanczos"}""", "interpolation \"lanczos\" is not supported")]
    [InlineData("preprocess_cfg.json", """{"size": 224, "resize_mode": "longest"}""", "resize_mode \"longest\" is not supported")]
    [InlineData("preprocess_cfg.json", """{"size": [224, 320]}""", "non-square size")]
    [InlineData("preprocess_cfg.json", """{"mean": [0.5, 0.5, 0.5]}""", "no \"size\"")]
    [InlineData("preprocess_cfg.json", """[224]""", "expected a JSON object")]
    public void A_malformed_config_names_the_file_and_the_problem(string name, string json, string problem)
    {
        using var folder = new TempFolder();
        var path = folder.File(name);
        File.WriteAllText(path, json);
        var error = Assert.Throws<PreprocessingConfigException>(() => ImagePreprocessing.FromFolder(folder.Path));
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fills_a_batch_tensor_in_place_from_frames()
    {
        var preprocessor = new ImagePreprocessor(ImagePreprocessing.Clip);
        var rgbA = ImagePreprocessorPillowTests.Pattern(320, 180);
        var rgbB = ImagePreprocessorPillowTests.Pattern(180, 320);
        using var a = VideoFrame.FromRgb(rgbA, 320, 180);
        using var b = VideoFrame.FromRgb(rgbB, 180, 320);
        var length = preprocessor.OutputLength(320, 180);
        Assert.Equal(3 * 224 * 224, length);

        var batch = new float[2 * length];
        preprocessor.Preprocess(a, batch.AsSpan(0, length));
        preprocessor.Preprocess(b, batch.AsSpan(length, length));

        Assert.Equal(preprocessor.Preprocess(a), batch[..length]);
        Assert.Equal(preprocessor.Preprocess(b), batch[length..]);
        Assert.NotEqual(batch[..length], batch[length..]);
        Assert.Throws<ArgumentException>(() => preprocessor.Preprocess(a, new float[length - 1]));
        Assert.Throws<ArgumentException>(() => preprocessor.Preprocess(rgbA.AsSpan(1), 320, 180, new float[length]));
    }

    [Fact]
    public void A_flat_grey_image_normalises_to_the_per_channel_value()
    {
        var preprocessor = new ImagePreprocessor(ImagePreprocessing.Clip);
        var grey = Enumerable.Repeat((byte)128, 500 * 300 * 3).ToArray();
        var output = new float[preprocessor.OutputLength(500, 300)];
        preprocessor.Preprocess(grey, 500, 300, output);
        for (var channel = 0; channel < 3; channel++)
        {
            var expected = (128f / 255f - ImagePreprocessing.ClipMean[channel]) / ImagePreprocessing.ClipStd[channel];
            Assert.All(output.AsSpan(channel * 224 * 224, 224 * 224).ToArray(), v => Assert.Equal(expected, v));
        }
    }
}
