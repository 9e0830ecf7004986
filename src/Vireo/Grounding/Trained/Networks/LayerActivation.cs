using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// The activation of a layer whose weights live under <paramref name="layerPrefix"/> (a learnt activation such as
/// PReLU reads its own weights from there).
/// </summary>
public delegate GraphValue LayerActivation(NetworkGraph net, string layerPrefix, GraphValue x);

/// <summary>The activations the Lighthouse networks use inside their transformer layers.</summary>
public static class Activations
{
    /// <summary>ReLU (Moment-DETR's transformer).</summary>
    public static LayerActivation Relu { get; } = (net, _, x) => Layers.Relu(net.Graph, x);

    /// <summary>PReLU with one slope stored at <c>&lt;layer&gt;.activation.weight</c> (QD-DETR, CG-DETR: <c>nn.PReLU()</c>).</summary>
    public static LayerActivation PRelu { get; } = (net, layerPrefix, x) => Layers.PRelu(net, layerPrefix + ".activation", x);
}
