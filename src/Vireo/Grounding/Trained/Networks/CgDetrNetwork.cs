using Vireo.Models.Checkpoints;
using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// CG-DETR (Moon et al., 2024, Lighthouse's <c>cg_detr</c>) rebuilt at inference (eval mode, batch 1, every clip and
/// token valid) with the <see cref="DetrGraphContract"/> signature. The parts used only by training losses (moment and
/// sentence tokens, <c>txt_proj_linear</c>, <c>scls_encoder</c>, <c>mcls_encoder</c>) are not part of the graph.
/// </summary>
public static class CgDetrNetwork
{
    /// <summary>Lighthouse builds the dummy-token encoder with 8 heads whatever <c>nheads</c> says.</summary>
    private const int DummyEncoderHeads = 8;

    /// <exception cref="CheckpointException">A weight the network needs is missing or has the wrong shape.</exception>
    public static OnnxModel Build(DetrConfig config, IReadOnlyDictionary<string, CheckpointTensor> weights, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Architecture != DetrArchitecture.CgDetr)
            throw new ArgumentException($"a {config.Architecture} configuration is not CG-DETR", nameof(config));
        if (config.Prompts < 1 || config.Prompts > config.TotalPrompts)
            throw new CheckpointException(checkpointPath, $"its num_prompts {config.Prompts} is not between 1 and total_prompts {config.TotalPrompts}");
        var g = new GraphBuilder("cg_detr");
        var net = new NetworkGraph(g, new CheckpointWeights(weights, checkpointPath));
        var width = config.HiddenDim;
        var activation = Activations.PRelu;
        var (videoInput, textInput) = DetrGraphSignature.Inputs(g, config);

        var tokenTypes = net.Parameter("token_type_embeddings.weight", 2, width);
        var video = g.Add(InputProjection.Build(net, "input_vid_proj", videoInput, width, config.InputProjections), g.Gather(tokenTypes, g.Int64Scalar(1)));
        var text = g.Add(InputProjection.Build(net, "input_txt_proj", textInput, width, config.InputProjections), g.Gather(tokenTypes, g.Int64Scalar(0)));
        var videoPositions = SinePositionEmbedding.Build(g, video, width);

        var dummyPositions = net.Parameter("dummy_rep_pos", config.Dummies, width);
        GraphValue dummies;
        using (g.Scope("dummies"))
            dummies = EncodedDummies(net, text, dummyPositions, config, activation);
        CgDetrTextToVideo.Output textToVideo;
        using (g.Scope("t2v"))
        {
            textToVideo = CgDetrTextToVideo.Forward(net, "transformer.t2v_encoder", video, videoPositions, dummies, dummyPositions, text,
                config.TextToVideoLayers, config.Heads, config.FeedForwardDim, activation);
        }
        GraphValue globalToken;
        using (g.Scope("global"))
        {
            globalToken = CgDetrTextToVideo.WithoutKeys(net, "transformer.t2v_encoder",
                CgDetrGlobalToken.Build(net, video, textToVideo.TextWeights, config.TotalPrompts, config.Prompts),
                config.TextToVideoLayers, config.FeedForwardDim, activation);
        }

        // The encoder sees the global token and the clips; the dummy and text tokens stop at the text-to-video layers.
        var memory = g.Concat(0, globalToken, textToVideo.Clips);
        var positions = g.Concat(0, net.Parameter("global_rep_pos", 1, width), videoPositions);
        for (var layer = 0; layer < config.EncoderLayers; layer++)
        {
            using (g.Scope($"encoder{layer}"))
                memory = net.EncoderLayer($"transformer.encoder.layers.{layer}", memory, positions, config.Heads, config.FeedForwardDim, activation);
        }
        var memoryGlobal = g.Slice(memory, [0], [1], [0]);
        var clipMemory = g.Add(g.Slice(memory, [1], [long.MaxValue], [0]), memoryGlobal);

        var decoded = AnchorDecoder.Forward(net, "transformer.decoder", clipMemory, videoPositions,
            net.Parameter("query_embed.weight", config.Queries, 2), config.DecoderLayers, config.Heads, config.FeedForwardDim, activation);
        var logits = net.Linear("class_embed", decoded.Hidden, 2);
        DetrGraphSignature.Outputs(g, logits, AnchoredHeads.Spans(net, decoded, width), AnchoredHeads.Saliency(net, clipMemory, memoryGlobal));
        return g.ToModel($"CG-DETR rebuilt from {Path.GetFileName(checkpointPath)}");
    }

    /// <summary>
    /// The dummy tokens (<c>dummy_rep_token</c>) encoded together with the text by <c>txtproj_encoder</c>, so they
    /// depend on the query; the encoded text itself is discarded [dummies, width].
    /// </summary>
    private static GraphValue EncodedDummies(NetworkGraph net, GraphValue text, GraphValue dummyPositions, DetrConfig config, LayerActivation activation)
    {
        var g = net.Graph;
        var width = config.HiddenDim;
        var textPositions = DetrGraphSignature.ZerosLike(g, text);   // CG-DETR never gives the text positions
        var sequence = g.Concat(0, net.Parameter("dummy_rep_token", config.Dummies, width), text);
        var positions = g.Concat(0, dummyPositions, textPositions);
        for (var layer = 0; layer < config.DummyLayers; layer++)
            sequence = net.EncoderLayer($"txtproj_encoder.layers.{layer}", sequence, positions, DummyEncoderHeads, config.FeedForwardDim, activation);
        return g.WithShape(g.Slice(sequence, [0], [config.Dummies], [0]), config.Dummies, width);
    }
}
