using Vireo.Models.Checkpoints;
using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// QD-DETR (Lighthouse's <c>qd_detr.py</c>) at inference, batch 1: the clips attend to the query text
/// (<see cref="TextToVideoLayer"/>), a learnt global token joins them through the encoder, the
/// <see cref="AnchorDecoder"/> predicts the windows and the saliency of each clip is its similarity to the global token.
/// The forward's second pass over another item's text only feeds a training loss and is left out.
/// </summary>
public static class QdDetrNetwork
{
    /// <summary>Rebuilds the network from its state dict with the <see cref="DetrGraphContract"/> signature.</summary>
    /// <exception cref="CheckpointException">A weight is missing or has the wrong shape, or an option is unsupported.</exception>
    public static OnnxModel Build(DetrConfig config, IReadOnlyDictionary<string, CheckpointTensor> weights, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Architecture != DetrArchitecture.QdDetr)
            throw new ArgumentException($"a {config.Architecture} configuration is not QD-DETR", nameof(config));
        if (config.UsesTextPositions)
            throw new CheckpointException(checkpointPath, "it was trained with use_txt_pos, which QD-DETR's rebuild does not support");
        var graph = new GraphBuilder("qd_detr");
        var net = new NetworkGraph(graph, new CheckpointWeights(weights, checkpointPath));
        var width = config.HiddenDim;
        var (video, text) = DetrGraphSignature.Inputs(graph, config);

        var clips = InputProjection.Build(net, "input_vid_proj", video, width, config.InputProjections);
        var tokens = InputProjection.Build(net, "input_txt_proj", text, width, config.InputProjections);
        var clipPositions = SinePositionEmbedding.Build(graph, clips, width);
        for (var layer = 0; layer < config.TextToVideoLayers; layer++)
        {
            using var scope = graph.Scope($"t2v{layer}");
            clips = TextToVideoLayer.Forward(net, $"transformer.t2v_encoder.layers.{layer}", clips, clipPositions, tokens, null,
                config.Heads, config.FeedForwardDim, Activations.PRelu);
        }

        var (global, memory) = Encode(net, clips, clipPositions, config);
        var decoded = AnchorDecoder.Forward(net, "transformer.decoder", memory, clipPositions, net.Parameter("query_embed.weight", config.Queries, 2),
            config.DecoderLayers, config.Heads, config.FeedForwardDim, Activations.PRelu);

        var logits = net.Linear("class_embed", decoded.Hidden, 2);
        DetrGraphSignature.Outputs(graph, logits, AnchoredHeads.Spans(net, decoded, width), AnchoredHeads.Saliency(net, memory, global));
        return graph.ToModel($"QD-DETR rebuilt from {Path.GetFileName(checkpointPath)}");
    }

    /// <summary>The encoder over the global token followed by the clips; returns the global token's and the clips' memory.</summary>
    private static (GraphValue Global, GraphValue Clips) Encode(NetworkGraph net, GraphValue clips, GraphValue clipPositions, DetrConfig config)
    {
        var g = net.Graph;
        var width = config.HiddenDim;
        var source = g.Concat(0, g.Reshape(net.Parameter("global_rep_token", width), 1, width), clips);
        var positions = g.Concat(0, g.Reshape(net.Parameter("global_rep_pos", width), 1, width), clipPositions);
        for (var layer = 0; layer < config.EncoderLayers; layer++)
        {
            using var scope = g.Scope($"encoder{layer}");
            source = net.EncoderLayer($"transformer.encoder.layers.{layer}", source, positions, config.Heads, config.FeedForwardDim,
                Activations.PRelu);
        }
        var global = g.Slice(source, [0], [1], [0]);
        var memory = g.WithShape(g.Slice(source, [1], [long.MaxValue], [0]), clips[0], width);
        return (global, memory);
    }
}
