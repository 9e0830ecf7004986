using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// Declares the <see cref="DetrGraphContract"/> inputs and outputs, converting between the contract's batch-of-one
/// tensors and the 2-D [length, width] sequences the layer helpers use.
/// </summary>
public static class DetrGraphSignature
{
    /// <summary>Symbolic length of the video input.</summary>
    public const string ClipsDim = "clips";

    /// <summary>Symbolic length of the text input.</summary>
    public const string TokensDim = "tokens";

    /// <summary>The video [clips, video dim] and text [tokens, text dim] inputs, without their batch axis.</summary>
    public static (GraphValue Video, GraphValue Text) Inputs(GraphBuilder graph, DetrConfig config)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(config);
        var video = graph.Input(DetrGraphContract.Video, OnnxDataType.Float, 1, ClipsDim, config.VideoDim);
        var text = graph.Input(DetrGraphContract.Text, OnnxDataType.Float, 1, TokensDim, config.TextDim);
        return (graph.Squeeze(video, 0), graph.Squeeze(text, 0));
    }

    /// <summary>Declares logits [queries, 2], spans [queries, 2] (after the sigmoid) and saliency [clips, 1] as the batch-of-one outputs.</summary>
    public static void Outputs(GraphBuilder graph, GraphValue logits, GraphValue spans, GraphValue saliency)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Output(graph.Unsqueeze(logits, 0), DetrGraphContract.Logits);
        graph.Output(graph.Unsqueeze(spans, 0), DetrGraphContract.Spans);
        graph.Output(graph.Transpose(saliency, 1, 0), DetrGraphContract.Saliency);
    }

    /// <summary>The first rows of <paramref name="sequence"/>, as many as <paramref name="like"/> has (e.g. the video part of a joint memory).</summary>
    public static GraphValue LeadingRows(GraphBuilder graph, GraphValue sequence, GraphValue like)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(sequence);
        var rows = graph.Slice(graph.Shape(like), [0], [1], [0]);
        return graph.Slice(sequence, graph.Int64s(0), rows, graph.Int64s(0), [like[0], sequence[-1]]);
    }

    /// <summary>Zeros shaped like <paramref name="x"/> (e.g. the text's absent positions).</summary>
    public static GraphValue ZerosLike(GraphBuilder graph, GraphValue x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(x);
        return graph.Expand(graph.Scalar(0), graph.Shape(x), x.Shape);
    }
}
