using System.Text.Json;
using Vireo.Grounding.Trained;
using Vireo.Research.Features;
using Vireo.Tests.Support;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>
/// ../shared/data/trained: checkpoints, features and predictions written by the official Lighthouse code (see its
/// README): the exact model inputs and raw outputs per query (raw_eval.npz) and the official prediction lines.
/// </summary>
internal static class TrainedFixtures
{
    public static readonly string[] Architectures = ["moment_detr", "qd_detr", "cg_detr"];

    public static readonly string[] QueryIds = ["5263", "100020", "100048", "100075"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var architecture in Architectures)
        {
            foreach (var qid in QueryIds)
                data.Add(architecture, qid);
        }
        return data;
    }

    public static string Checkpoint(string architecture) =>
        SharedData.Require($"data/trained/{architecture}/clip_{architecture}_qvhighlight.ckpt");

    public static string Annotations => SharedData.Require("data/trained/annotations.jsonl");

    public static string VideoFeatures => SharedData.Require("data/trained/features/qvhighlight/clip");

    public static string TextFeatures => SharedData.Require("data/trained/features/qvhighlight/clip_text");

    /// <summary>The official evaluation's raw outputs for a query, as <see cref="DetrOutputs"/>.</summary>
    public static async Task<DetrOutputs> OfficialOutputsAsync(string architecture, string qid)
    {
        var raw = await RawAsync(architecture, "raw_eval.npz");
        return new DetrOutputs(raw[$"q{qid}_pred_logits"].Data, raw[$"q{qid}_pred_spans"].Data, raw[$"q{qid}_saliency_scores"].Data);
    }

    /// <summary>The exact inputs the official evaluation fed the network: [clips, 514] and [tokens, 512].</summary>
    public static async Task<(FeatureArray Video, FeatureArray Text)> OfficialInputsAsync(string architecture, string qid)
    {
        var raw = await RawAsync(architecture, "raw_eval.npz");
        return (raw[$"q{qid}_src_vid"], raw[$"q{qid}_src_txt"]);
    }

    public static Task<IReadOnlyDictionary<string, FeatureArray>> RawAsync(string architecture, string file) =>
        NpzFile.ReadAllAsync(SharedData.Require($"data/trained/{architecture}/{file}"), TestContext.Current.CancellationToken);

    /// <summary>The official prediction line of <paramref name="qid"/> in <c>&lt;architecture&gt;/&lt;file&gt;</c>.</summary>
    public static JsonElement OfficialLine(string architecture, string qid, string file = "preds_eval.jsonl")
    {
        foreach (var line in File.ReadLines(SharedData.Require($"data/trained/{architecture}/{file}")))
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.GetProperty("qid").ToString() == qid)
                return document.RootElement.Clone();
        }
        throw new InvalidOperationException($"{architecture}/{file} has no line for qid {qid}");
    }

    /// <summary>The annotation line of <paramref name="qid"/>: video id and duration.</summary>
    public static (string Vid, double Duration, string Query) Annotation(string qid)
    {
        foreach (var line in File.ReadLines(Annotations))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.GetProperty("qid").ToString() == qid)
                return (root.GetProperty("vid").GetString()!, root.GetProperty("duration").GetDouble(), root.GetProperty("query").GetString()!);
        }
        throw new InvalidOperationException($"annotations.jsonl has no qid {qid}");
    }
}
