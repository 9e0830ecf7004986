using Microsoft.ML.OnnxRuntime;
using Vireo.Grounding.Trained.Networks;
using Vireo.Models.Checkpoints;
using Vireo.Research.Features;
using Vireo.Tests.Onnx;
using Vireo.Tests.Support;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>
/// One architecture's official fixtures (../shared/data/trained/&lt;arch&gt;): its checkpoint, the graph rebuilt from it
/// and loaded in ONNX Runtime, and raw_eval.npz with the official inputs and outputs per query.
/// </summary>
internal sealed record TrainedDetrFixture(string Path, DetrConfig Config, IReadOnlyDictionary<string, CheckpointTensor> Weights,
    InferenceSession Session, IReadOnlyDictionary<string, FeatureArray> Raw)
{
    /// <param name="architecture">Lighthouse's model name, e.g. <c>cg_detr</c>.</param>
    public static TrainedDetrFixture Load(string architecture)
    {
        var folder = $"data/trained/{architecture}";
        var path = SharedData.Require($"{folder}/clip_{architecture}_qvhighlight.ckpt");
        var checkpoint = TorchCheckpoint.Read(path);
        var config = DetrConfig.From(checkpoint);
        var weights = checkpoint.StateDict();
        var raw = NpzFile.ReadAllAsync(SharedData.Require($"{folder}/raw_eval.npz")).GetAwaiter().GetResult();
        return new TrainedDetrFixture(path, config, weights, OrtTestRunner.Load(DetrNetwork.Build(config, weights, path)), raw);
    }

    /// <summary>The npz array <c>q&lt;qid&gt;_&lt;name&gt;</c>, e.g. an input (<c>src_vid</c>) or an official output (<c>pred_spans</c>).</summary>
    public FeatureArray Array(int qid, string name) => Raw[$"q{qid}_{name}"];

    /// <summary>Runs the graph on a video [clips, dim] and a text [tokens, dim].</summary>
    public Dictionary<string, TestTensor> Run(FeatureArray video, FeatureArray text) => Run(Session, video.Data, video.Rows, text.Data, text.Rows);

    /// <summary>Runs <paramref name="session"/> on one query's video [clips, dim] and text [tokens, dim].</summary>
    public static Dictionary<string, TestTensor> Run(InferenceSession session, float[] video, int clips, float[] text, int tokens) =>
        OrtTestRunner.Run(session,
            (DetrGraphContract.Video, new TestTensor(video, [1, clips, video.Length / clips])),
            (DetrGraphContract.Text, new TestTensor(text, [1, tokens, text.Length / tokens])));
}
