using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// The Lighthouse networks' <c>input_vid_proj</c> / <c>input_txt_proj</c>: <c>n_input_proj</c> (1 to 3)
/// <see cref="Layers.LinearLayer"/>s to the hidden width, each followed by ReLU except the last.
/// </summary>
public static class InputProjection
{
    public const int MaxLayers = 3;

    public static GraphValue Build(NetworkGraph net, string prefix, GraphValue x, long hiddenWidth, int layers)
    {
        ArgumentNullException.ThrowIfNull(net);
        if (layers is < 1 or > MaxLayers)
            throw net.Weights.Error(prefix, $"is built from n_input_proj = {layers} layers; Lighthouse supports 1 to {MaxLayers}");
        for (var i = 0; i < layers; i++)
            x = net.LinearLayer($"{prefix}.{i}", x, hiddenWidth, relu: i < layers - 1);
        return x;
    }
}
