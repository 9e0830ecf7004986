using Vireo.Models.Checkpoints;
using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>Rebuilds a checkpoint's network as an ONNX graph with the <see cref="DetrGraphContract"/> signature.</summary>
public static class DetrNetwork
{
    /// <exception cref="CheckpointException">A weight the network needs is missing or has the wrong shape.</exception>
    public static OnnxModel Build(DetrConfig config, IReadOnlyDictionary<string, CheckpointTensor> weights, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        return config.Architecture switch
        {
            DetrArchitecture.MomentDetr => MomentDetrNetwork.Build(config, weights, checkpointPath),
            DetrArchitecture.QdDetr => QdDetrNetwork.Build(config, weights, checkpointPath),
            DetrArchitecture.CgDetr => CgDetrNetwork.Build(config, weights, checkpointPath),
            _ => throw new CheckpointException(checkpointPath, $"rebuilding {config.Architecture} is not implemented yet"),
        };
    }
}
