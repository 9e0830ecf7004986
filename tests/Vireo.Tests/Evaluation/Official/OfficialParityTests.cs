using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Research.Features;
using Vireo.Tests.Support;

namespace Vireo.Tests.Evaluation.Official;

/// <summary>
/// Every metric of every protocol against the official code's own numbers. The prediction files and similarity
/// matrices come from <see cref="MessyPredictions"/> (seed 1) on the real annotations of ../shared; the expected values
/// in <c>official-metrics.json</c> are what the official evaluation functions (2D-TAN <c>lib/core/eval.py</c> with its
/// dataset classes, VSLNet <c>calculate_iou</c> / <c>calculate_iou_accuracy</c> with <c>util/data_gen.py</c>,
/// LocalizingMoments <c>utils/eval.py</c>, moment_detr <c>standalone_eval/eval.py</c>, CLIP4Clip <c>metrics.py</c>)
/// returned on exactly these files, run unchanged outside the repository. To produce the files for such a run, set
/// <c>VIREO_OFFICIAL_EXPORT</c> to a folder; with <c>VIREO_OFFICIAL_SEED</c> set to another seed the tests write
/// Vireo's numbers there (<c>*.vireo.json</c>) instead of comparing, for a check on files the tests did not see.
/// </summary>
public class OfficialParityTests
{
    /// <summary>Every metric must equal the official value to 1e-9 percentage points.</summary>
    private const double Tolerance = 1e-9;

    private static readonly double[] Thresholds = [0.1, 0.3, 0.5, 0.7];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Root => SharedData.Require("data");

    private static int Seed =>
        Environment.GetEnvironmentVariable("VIREO_OFFICIAL_SEED") is { Length: > 0 } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : 1;

    private static string? ExportFolder => Environment.GetEnvironmentVariable("VIREO_OFFICIAL_EXPORT") is { Length: > 0 } folder ? folder : null;

    [Theory]
    [InlineData("charades-sta", EvaluationProtocol.TwoDTan)]
    [InlineData("charades-sta", EvaluationProtocol.VslNet)]
    [InlineData("tacos", EvaluationProtocol.TwoDTan)]
    [InlineData("tacos", EvaluationProtocol.VslNet)]
    [InlineData("activitynet-captions", EvaluationProtocol.TwoDTan)]
    [InlineData("activitynet-captions", EvaluationProtocol.VslNet)]
    public async Task Recall_at_iou_equals_the_official_code(string dataset, EvaluationProtocol protocol)
    {
        var truth = await DatasetCatalog.LoadGroundingAsync(dataset, "test", Root, cancellationToken: Ct);
        var predictions = await RoundTripAsync($"{dataset}.{EvaluationProtocols.Name(protocol)}", MessyPredictions.Moments(truth, Seed));
        var options = new GroundingMetricOptions
        {
            Protocol = protocol,
            RecallAt = protocol == EvaluationProtocol.VslNet ? [1] : [1, 5],
            IouThresholds = Thresholds,
        };

        var scores = GroundingMetrics.Evaluate(truth, predictions.ToDictionary(p => p.QueryId), options);

        var actual = new JsonObject { ["queries"] = scores.Queries, ["mIoU"] = scores.MeanIoU };
        foreach (var r in scores.Recalls)
            actual[r.Name] = r.Percent;
        await CompareAsync($"{dataset}/{EvaluationProtocols.Name(protocol)}", actual);
    }

    [Fact]
    public async Task DiDeMo_equals_localizing_moments()
    {
        var truth = await DatasetCatalog.LoadGroundingAsync("didemo", "test", Root, cancellationToken: Ct);
        var predictions = await RoundTripAsync("didemo.didemo", MessyPredictions.DiDeMoMoments(truth, Seed));

        var scores = DiDeMoEvaluator.Evaluate(truth.Queries, predictions.ToDictionary(p => p.QueryId));

        await CompareAsync("didemo/didemo", new JsonObject
        {
            ["queries"] = scores.Queries, ["R@1"] = scores.RecallAt1, ["R@5"] = scores.RecallAt5, ["mIoU"] = scores.MeanIoU,
        });
    }

    [Fact]
    public async Task QvHighlights_equals_moment_detr()
    {
        var truth = await DatasetCatalog.LoadGroundingAsync("qvhighlights", "val", Root, cancellationToken: Ct);
        var predictions = await RoundTripAsync("qvhighlights.moment-detr", MessyPredictions.Highlights(truth, Seed));

        var report = QvHighlightsEvaluator.Evaluate(truth.Queries, predictions);

        await CompareAsync("qvhighlights/moment-detr", report.ToOfficialJson());
    }

    [Theory]
    [InlineData("single-float32-ties", false, true, false)]
    [InlineData("single-float64", true, false, false)]
    [InlineData("multi-float32", false, false, true)]
    [InlineData("multi-float64", true, false, true)]
    public async Task Retrieval_equals_clip4clip(string name, bool doublePrecision, bool ties, bool multi)
    {
        var captions = await MsrVtt.LoadAsync(Path.Combine(Root, "msrvtt", "MSRVTT_JSFUSION_test.csv"), Ct);
        if (multi)
            captions = await MultiCaptionAsync(captions, name);
        var column = captions.Videos.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal);
        var truth = captions.Captions.Select(c => column[c.VideoId]).ToArray();
        var values = MessyPredictions.Similarities(truth, captions.Videos.Count, Seed, doublePrecision, ties);
        int[] shape = [truth.Length, captions.Videos.Count];
        var matrix = doublePrecision ? new FeatureArray(values, shape) : new FeatureArray([.. values.Select(v => (float)v)], shape);
        var path = ExportPath($"msrvtt.{name}.npy");
        await using (var file = File.Create(path))
            NpyFile.Write(file, matrix);

        var read = await NpyFile.ReadAsync(path, Ct);
        var scores = RetrievalMetrics.FromMatrix(read, truth, multi ? RetrievalSetting.MultiCaption : RetrievalSetting.SingleCaption, path);

        Assert.Equal(doublePrecision, read.IsDoublePrecision);
        if (multi)
            Assert.Equal(0, scores.TiedCaptions);
        var actual = new JsonObject { ["R1"] = scores.R1, ["R5"] = scores.R5, ["R10"] = scores.R10, ["MR"] = scores.MedianRank, ["MeanR"] = scores.MeanRank };
        if (!multi)
            actual["ranks"] = scores.Ranks;
        await CompareAsync($"msrvtt/{name}", actual);
    }

    /// <summary>The 1k-A captions regrouped so that videos have one to three consecutive captions (CLIP4Clip's multi-sentence layout).</summary>
    private static async Task<RetrievalDataset> MultiCaptionAsync(RetrievalDataset single, string name)
    {
        var random = new Random(7);
        var captions = new List<RetrievalCaption>(single.Captions.Count);
        var video = 0;
        for (var i = 0; i < single.Captions.Count; video++)
        {
            var take = Math.Min(random.Next(1, 4), single.Captions.Count - i);
            for (var k = 0; k < take; k++, i++)
                captions.Add(single.Captions[i] with { VideoId = $"group{video}" });
        }
        var csv = ExportPath($"msrvtt.{name}.csv");
        await File.WriteAllLinesAsync(csv, ["key,vid_key,video_id,sentence", .. captions.Select(c => $"{c.QueryId},{c.VideoId},{c.VideoId},x")], Ct);
        return await MsrVtt.LoadAsync(csv, Ct);
    }

    /// <summary>Writes the predictions as a file (into the export folder when set) and reads them back, as the command line does.</summary>
    private static async Task<IReadOnlyList<GroundingPrediction>> RoundTripAsync(string name, IEnumerable<GroundingPrediction> predictions)
    {
        var path = ExportPath(name + ".jsonl");
        await PredictionFile.WriteAsync(path, predictions, Ct);
        return await PredictionFile.ReadAsync(path, Ct);
    }

    private static string ExportPath(string name)
    {
        if (ExportFolder is not { } folder)
            return TestVideos.NewPath(name);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    /// <summary>
    /// Every number of the official output for <paramref name="key"/> against Vireo's (nested objects compared leaf by
    /// leaf); with another seed, Vireo's numbers are written to the export folder instead.
    /// </summary>
    private static async Task CompareAsync(string key, JsonObject actual)
    {
        if (Seed != 1)
        {
            var folder = ExportFolder ?? throw new InvalidOperationException("VIREO_OFFICIAL_SEED needs VIREO_OFFICIAL_EXPORT");
            await File.WriteAllTextAsync(Path.Combine(folder, key.Replace('/', '.') + ".vireo.json"), actual.ToJsonString(), Ct);
            return;
        }
        var expected = (await ExpectedAsync())[key]?.AsObject() ?? throw new KeyNotFoundException($"no official numbers for {key}");
        var compared = 0;
        foreach (var (name, official) in Leaves(expected, ""))
        {
            var mine = Leaves(actual, "").Where(l => l.Name == name).Select(l => (double?)l.Value).FirstOrDefault();
            Assert.True(mine is not null, $"{key}: Vireo has no metric {name}");
            Assert.True(Same(official, mine.Value), $"{key} {name}: official {official:R}, Vireo {mine:R}");
            compared++;
        }
        Assert.True(compared > 0, $"{key}: nothing compared");
    }

    private static bool Same(double official, double mine) =>
        (double.IsNaN(official) && double.IsNaN(mine)) || Math.Abs(official - mine) <= Tolerance;

    private static IEnumerable<(string Name, double Value)> Leaves(JsonObject node, string prefix)
    {
        foreach (var (name, value) in node)
        {
            var path = prefix + name;
            if (value is JsonObject inner)
            {
                foreach (var leaf in Leaves(inner, path + "/"))
                    yield return leaf;
            }
            else if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
                yield return (path, double.Parse(number.ToJsonString(), CultureInfo.InvariantCulture));
            else if (value is JsonValue text && text.TryGetValue<string>(out var s) && s == "NaN")
                yield return (path, double.NaN);
        }
    }

    private static async Task<JsonObject> ExpectedAsync()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Vireo.Tests", "Evaluation", "Official", "official-metrics.json");
        return JsonNode.Parse(await File.ReadAllTextAsync(path, Ct))!.AsObject();
    }
}
