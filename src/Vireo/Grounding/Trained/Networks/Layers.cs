using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// PyTorch layers rebuilt from their state-dict weights. Each takes the module's key prefix (for example
/// <c>input_vid_proj.0</c>) and reads the input width from the graph value, so the weights' shapes are checked against
/// the tensors they meet.
/// </summary>
public static class Layers
{
    /// <summary><c>nn.Linear</c>: x·Wᵀ + b on the last axis of any-rank <paramref name="x"/>.</summary>
    public static GraphValue Linear(this NetworkGraph net, string prefix, GraphValue x, long outFeatures, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(net);
        var product = net.Graph.MatMul(x, net.TransposedLinearWeight(prefix + ".weight", outFeatures, Width(x)));
        return bias ? net.Graph.Add(product, net.Parameter(prefix + ".bias", outFeatures)) : product;
    }

    /// <summary><c>nn.LayerNorm</c> over the last axis (PyTorch's default epsilon 1e-5).</summary>
    public static GraphValue LayerNorm(this NetworkGraph net, string prefix, GraphValue x, float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(net);
        var width = Width(x);
        return net.Graph.LayerNormalization(x, net.Parameter(prefix + ".weight", width), net.Parameter(prefix + ".bias", width), epsilon);
    }

    public static GraphValue Relu(GraphBuilder graph, GraphValue x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Relu(x);
    }

    /// <summary><c>nn.PReLU</c> with a single learnt slope (<c>&lt;prefix&gt;.weight</c>, shape [1]).</summary>
    public static GraphValue PRelu(this NetworkGraph net, string prefix, GraphValue x)
    {
        ArgumentNullException.ThrowIfNull(net);
        return net.Graph.PRelu(x, net.Parameter(prefix + ".weight", 1));
    }

    /// <summary>
    /// Lighthouse's <c>LinearLayer</c> (the input projections): LayerNorm (<c>&lt;prefix&gt;.LayerNorm</c>), dropout
    /// (off at inference), Linear (<c>&lt;prefix&gt;.net.1</c>), then ReLU when <paramref name="relu"/>.
    /// </summary>
    public static GraphValue LinearLayer(this NetworkGraph net, string prefix, GraphValue x, long outFeatures, bool relu, bool layerNorm = true)
    {
        ArgumentNullException.ThrowIfNull(net);
        var normalized = layerNorm ? net.LayerNorm(prefix + ".LayerNorm", x) : x;
        var projected = net.Linear(prefix + ".net.1", normalized, outFeatures);
        return relu ? Relu(net.Graph, projected) : projected;
    }

    /// <summary>
    /// The DETR <c>MLP</c>: <paramref name="layers"/> linear layers (<c>&lt;prefix&gt;.layers.i</c>), the hidden ones of
    /// width <paramref name="hiddenFeatures"/> followed by ReLU, the last of width <paramref name="outFeatures"/>.
    /// </summary>
    public static GraphValue Mlp(this NetworkGraph net, string prefix, GraphValue x, long hiddenFeatures, long outFeatures, int layers)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        for (var i = 0; i < layers; i++)
        {
            var last = i == layers - 1;
            x = net.Linear($"{prefix}.layers.{i}", x, last ? outFeatures : hiddenFeatures);
            if (!last)
                x = Relu(net.Graph, x);
        }
        return x;
    }

    /// <summary>The fixed size of the last axis of <paramref name="x"/> (layer widths must be known when the graph is built).</summary>
    public static long Width(GraphValue x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x[-1].Value ?? throw new ArgumentException($"the last axis of {x} must have a fixed size", nameof(x));
    }
}
