using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// A graph under construction together with the checkpoint whose weights it uses. Each weight becomes one float32
/// initializer named after its state-dict key (a transposed linear weight gets the suffix <c>^T</c>); asking for the
/// same weight again returns the same initializer.
/// </summary>
/// <remarks>
/// The layer helpers (<see cref="Layers"/>, <see cref="Attention"/>, <see cref="TransformerLayers"/>) work on
/// sequences laid out as 2-D [length, width] tensors: batch 1, as in <see cref="DetrGraphContract"/>.
/// </remarks>
public sealed class NetworkGraph
{
    private readonly Dictionary<string, GraphValue> _parameters = new(StringComparer.Ordinal);

    public NetworkGraph(GraphBuilder graph, CheckpointWeights weights)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(weights);
        Graph = graph;
        Weights = weights;
    }

    public GraphBuilder Graph { get; }

    public CheckpointWeights Weights { get; }

    /// <summary>The weight <paramref name="key"/> as an initializer of exactly <paramref name="shape"/>.</summary>
    /// <exception cref="Vireo.Models.Checkpoints.CheckpointException">The key is missing or its shape differs.</exception>
    public GraphValue Parameter(string key, params long[] shape) =>
        Cached(key, key, shape, () => Weights.Tensor(key, shape).Data);

    /// <summary>
    /// The linear weight <paramref name="key"/> (PyTorch [out, in], or block <paramref name="part"/> of
    /// <paramref name="parts"/> stacked blocks) as an initializer of shape [in, out].
    /// </summary>
    /// <exception cref="Vireo.Models.Checkpoints.CheckpointException">The key is missing or its shape is not [parts·out, in].</exception>
    public GraphValue TransposedLinearWeight(string key, long outFeatures, long inFeatures, int part = 0, int parts = 1)
    {
        var name = (parts == 1 ? key : $"{key}#{part}") + "^T";
        return Cached(name, key, [inFeatures, outFeatures],
            () => Weights.TransposedLinearWeight(key, outFeatures, inFeatures, part, parts));
    }

    /// <summary>Segment <paramref name="part"/> of a vector stacking <paramref name="parts"/> segments (e.g. of <c>in_proj_bias</c>).</summary>
    /// <exception cref="Vireo.Models.Checkpoints.CheckpointException">The key is missing or its shape is not [parts·length].</exception>
    public GraphValue VectorPart(string key, long length, int part, int parts) =>
        Cached($"{key}#{part}", key, [length], () => Weights.VectorPart(key, length, part, parts));

    private GraphValue Cached(string name, string key, long[] shape, Func<float[]> read)
    {
        if (_parameters.TryGetValue(name, out var cached))
            return Checked(key, cached, shape);
        return _parameters[name] = Graph.Initializer(name, TensorData.FromArray(read(), shape));
    }

    private GraphValue Checked(string key, GraphValue value, long[] shape)
    {
        var actual = value.Shape!;
        if (actual.Count != shape.Length || !actual.Select(d => d.Value ?? -1).SequenceEqual(shape))
            throw Weights.Error(key, $"is used with two shapes, {Dim.Format(actual)} and [{string.Join(", ", shape)}]");
        return value;
    }
}
