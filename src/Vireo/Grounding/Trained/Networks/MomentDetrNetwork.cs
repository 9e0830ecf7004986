using Vireo.Models.Checkpoints;
using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// Moment-DETR (Lighthouse's <c>MomentDETR</c> with its DETR transformer) rebuilt from a state dict: input
/// projections, sine positions on the clips (none on the text), a post-norm encoder over clips and tokens together,
/// a decoder of learnt moment queries with a final LayerNorm, then the class, span and saliency heads.
/// </summary>
public static class MomentDetrNetwork
{
    /// <exception cref="CheckpointException">A weight is missing or misshaped, or the configuration is not supported.</exception>
    public static OnnxModel Build(DetrConfig config, IReadOnlyDictionary<string, CheckpointTensor> weights, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Architecture != DetrArchitecture.MomentDetr)
            throw new ArgumentException($"a {config.Architecture} configuration is not Moment-DETR", nameof(config));
        if (config.UsesTextPositions)
            throw new CheckpointException(checkpointPath, "it was trained with use_txt_pos, which Vireo does not rebuild");
        var graph = new GraphBuilder("moment_detr");
        var net = new NetworkGraph(graph, new CheckpointWeights(weights, checkpointPath));
        var hidden = config.HiddenDim;
        var (video, text) = DetrGraphSignature.Inputs(graph, config);

        var projectedVideo = InputProjection.Build(net, "input_vid_proj", video, hidden, config.InputProjections);
        var projectedText = InputProjection.Build(net, "input_txt_proj", text, hidden, config.InputProjections);
        var source = graph.WithShape(graph.Concat(0, projectedVideo, projectedText), "clips_and_tokens", hidden);
        var positions = graph.WithShape(graph.Concat(0,
            SinePositionEmbedding.Build(graph, projectedVideo, hidden), DetrGraphSignature.ZerosLike(graph, projectedText)), source.Shape!.ToArray());

        var memory = source;
        for (var i = 0; i < config.EncoderLayers; i++)
        {
            using (graph.Scope($"encoder{i}"))
                memory = net.EncoderLayer($"transformer.encoder.layers.{i}", memory, positions, config.Heads, config.FeedForwardDim);
        }

        var queryPositions = net.Parameter("query_embed.weight", config.Queries, hidden);
        var state = graph.FloatConstant(new float[config.Queries * hidden], config.Queries, hidden);
        for (var i = 0; i < config.DecoderLayers; i++)
        {
            using (graph.Scope($"decoder{i}"))
                state = net.DecoderLayer($"transformer.decoder.layers.{i}", state, memory, positions, queryPositions, config.Heads, config.FeedForwardDim);
        }
        var decoded = net.LayerNorm("transformer.decoder.norm", state);

        var logits = net.Linear("class_embed", decoded, 2);
        var spans = graph.Sigmoid(net.Mlp("span_embed", decoded, hidden, 2, layers: 3));
        var saliency = net.Linear("saliency_proj", DetrGraphSignature.LeadingRows(graph, memory, projectedVideo), 1);
        DetrGraphSignature.Outputs(graph, logits, spans, saliency);
        return graph.ToModel($"Moment-DETR rebuilt from {Path.GetFileName(checkpointPath)}");
    }
}
