using System.Text.Json;
using Vireo.Cli.Terminal;
using Vireo.Library;
using Vireo.Models;
using Vireo.Temporal;
using Vireo.Tests.Support;

namespace Vireo.Tests.Library;

/// <summary>
/// A library remembers which variant of its model built it: later commands load that variant without being told,
/// and another variant is refused with a message naming both. End to end through the CLI with the concept model and
/// its int8 variant written by 'vireo models quantize', which must ground the planted moments as well as float32.
/// </summary>
public class ModelVariantLibraryTests
{
    [Fact]
    public void The_variant_is_recorded_and_another_one_is_refused_naming_both()
    {
        var library = VideoLibrary.Open(TestVideos.NewPath("variant-library"));
        var int8 = new ModelIdentity("clip", 512, "aaaa", ModelVariant.Quantized);
        library.Bind(new LibrarySettings(int8, 2, 2));

        var reopened = VideoLibrary.Open(library.Directory, create: false);
        Assert.Equal(ModelVariant.Quantized, reopened.Settings!.Model.Variant);
        reopened.RequireModel(int8 with { Name = "clip-int8" }); // the same files under another registered name
        var error = Assert.Throws<ModelMismatchException>(() => reopened.RequireModel(new ModelIdentity("clip", 512, "bbbb", ModelVariant.Default)));

        Assert.Equal((ModelVariant.Quantized, ModelVariant.Default), (error.LibraryVariant, error.RequestedVariant));
        Assert.Contains("quantized (int8) variant of model 'clip'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not the default (float32) variant", error.Message, StringComparison.Ordinal);
        Assert.Contains("--variant quantized", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_int8_concept_model_grounds_planted_moments_as_well_as_float32_and_libraries_keep_their_variant()
    {
        var folder = TestVideos.NewPath("variant-e2e");
        Directory.CreateDirectory(folder);
        var videos = Path.Combine(folder, "videos");
        Directory.CreateDirectory(videos);
        var planted = new List<PlantedMoment>();
        for (var v = 0; v < 6; v++)
        {
            var random = new Random(500 + v);
            var targets = PlantedVideos.Targets.OrderBy(_ => random.Next()).Take(4).ToList();
            planted.AddRange(await PlantedVideos.WriteAsync(Path.Combine(videos, $"video{v}.mp4"), 600 + v, 120, targets, 6, 24));
        }
        var model = ModelCopies.WithoutVariants((await TestModels.ConceptHuggingFaceAsync()).Root, "concepts");
        var store = Path.Combine(folder, "store");

        var quantize = await CliRunner.RunAsync("models", "quantize", model, "--name", "concepts-int8", "--models-dir", store, "--json");
        Assert.True(quantize.Code == 0, quantize.Error);
        using (var json = JsonDocument.Parse(quantize.Out))
            Assert.Equal(3, json.RootElement.GetProperty("files").GetArrayLength());

        var float32 = Path.Combine(folder, "library-fp32");
        var int8 = Path.Combine(folder, "library-int8");
        var indexed = await CliRunner.RunAsync("index", videos, "--library", float32, "--model", model, "--models-dir", store);
        Assert.True(indexed.Code == 0, indexed.Error);
        indexed = await CliRunner.RunAsync("index", videos, "--library", int8, "--model", model, "--variant", "quantized", "--models-dir", store);
        Assert.True(indexed.Code == 0, indexed.Error);
        Assert.Equal(ModelVariant.Quantized, VideoLibrary.Open(int8, create: false).Settings!.Model.Variant);
        Assert.Equal(ModelVariant.Default, VideoLibrary.Open(float32, create: false).Settings!.Model.Variant);

        // Without --variant, the int8 library's commands load the int8 files; the other variant is refused naming both.
        var (fp32Hits, fp32Iou) = await GroundAllAsync(planted, float32, store);
        var (int8Hits, int8Iou) = await GroundAllAsync(planted, int8, store);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"planted moments: {planted.Count}; R1@0.5 float32 {fp32Hits}/{planted.Count}, int8 {int8Hits}/{planted.Count}; mean IoU float32 {fp32Iou:0.0000}, int8 {int8Iou:0.0000}");
        Assert.True(int8Hits >= fp32Hits, $"int8 R1@0.5 {int8Hits} < float32 {fp32Hits}");
        Assert.True(fp32Hits >= planted.Count * 0.9, $"float32 R1@0.5 {fp32Hits}/{planted.Count}");

        var mixed = await CliRunner.RunAsync("index", videos, "--library", int8, "--model", model, "--variant", "default", "--models-dir", store);
        Assert.Equal(ExitCodes.InputError, mixed.Code);
        Assert.Contains("quantized (int8) variant", mixed.Error, StringComparison.Ordinal);
        Assert.Contains("default (float32) variant", mixed.Error, StringComparison.Ordinal);
        var registered = await CliRunner.RunAsync("search", "the red part", "--library", int8, "--model", "concepts-int8", "--models-dir", store, "--json");
        Assert.True(registered.Code == 0, registered.Error);
    }

    private static async Task<(int Hits, double MeanIoU)> GroundAllAsync(List<PlantedMoment> planted, string library, string store)
    {
        var hits = 0;
        var iouSum = 0.0;
        foreach (var moment in planted)
        {
            var (code, output, error) = await CliRunner.RunAsync("ground", moment.Video, $"the {moment.Colour} part", "--library", library, "--models-dir", store, "--json");
            Assert.True(code == 0, error);
            using var json = JsonDocument.Parse(output);
            var top = json.RootElement.GetProperty("pred_relevant_windows")[0];
            var iou = new TemporalWindow(top[0].GetDouble(), top[1].GetDouble()).IoU(new TemporalWindow(moment.Start, moment.End));
            iouSum += iou;
            hits += iou >= 0.5 ? 1 : 0;
        }
        return (hits, iouSum / planted.Count);
    }
}
