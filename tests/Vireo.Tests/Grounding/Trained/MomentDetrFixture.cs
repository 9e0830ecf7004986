using Microsoft.ML.OnnxRuntime;
using Vireo.Grounding.Trained.Networks;
using Vireo.Models.Checkpoints;
using Vireo.Research.Features;
using Vireo.Tests.Onnx;
using Vireo.Tests.Support;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>The official Moment-DETR checkpoint and outputs (../shared/data/trained/moment_detr), loaded once per test run.</summary>
internal static class MomentDetrFixture
{
    public const string Folder = "data/trained/moment_detr";

    private static readonly Lazy<(DetrConfig Config, IReadOnlyDictionary<string, CheckpointTensor> Weights, string Path)> LazyCheckpoint = new(() =>
    {
        var path = SharedData.Require($"{Folder}/clip_moment_detr_qvhighlight.ckpt");
        var checkpoint = TorchCheckpoint.Read(path);
        return (DetrConfig.From(checkpoint), checkpoint.StateDict(), path);
    });

    private static readonly Lazy<InferenceSession> LazySession = new(() =>
    {
        var (config, weights, path) = LazyCheckpoint.Value;
        return OrtTestRunner.Load(DetrNetwork.Build(config, weights, path));
    });

    public static (DetrConfig Config, IReadOnlyDictionary<string, CheckpointTensor> Weights, string Path) Checkpoint => LazyCheckpoint.Value;

    public static InferenceSession Session => LazySession.Value;

    public static async Task<IReadOnlyDictionary<string, FeatureArray>> RawEvalAsync(CancellationToken cancellationToken) =>
        await NpzFile.ReadAllAsync(SharedData.Require($"{Folder}/raw_eval.npz"), cancellationToken);

    /// <summary>Runs <paramref name="session"/> on one query's video [clips, dim] and text [tokens, dim].</summary>
    public static Dictionary<string, TestTensor> Run(InferenceSession session, float[] video, int clips, float[] text, int tokens) =>
        OrtTestRunner.Run(session,
            (DetrGraphContract.Video, new TestTensor(video, [1, clips, video.Length / clips])),
            (DetrGraphContract.Text, new TestTensor(text, [1, tokens, text.Length / tokens])));
}
