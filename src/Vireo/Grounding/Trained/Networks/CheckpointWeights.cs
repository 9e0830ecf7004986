using Vireo.Models.Checkpoints;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// A checkpoint's state dict read by name with the shape the network expects. A missing key or a tensor of another
/// shape is a <see cref="CheckpointException"/> naming the key and both shapes, so a checkpoint of a different
/// configuration fails when its graph is built rather than giving wrong numbers.
/// </summary>
public sealed class CheckpointWeights
{
    private readonly IReadOnlyDictionary<string, CheckpointTensor> _stateDict;

    public CheckpointWeights(IReadOnlyDictionary<string, CheckpointTensor> stateDict, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        ArgumentNullException.ThrowIfNull(checkpointPath);
        _stateDict = stateDict;
        CheckpointPath = checkpointPath;
    }

    /// <summary>The file the state dict came from, for error messages.</summary>
    public string CheckpointPath { get; }

    public bool Contains(string key) => _stateDict.ContainsKey(key);

    /// <summary>The shape stored under <paramref name="key"/>.</summary>
    /// <exception cref="CheckpointException">The key is missing.</exception>
    public IReadOnlyList<long> ShapeOf(string key) => Find(key).Shape;

    /// <summary>The tensor under <paramref name="key"/>, which must have exactly <paramref name="expectedShape"/>.</summary>
    /// <exception cref="CheckpointException">The key is missing or its shape differs.</exception>
    public CheckpointTensor Tensor(string key, params long[] expectedShape)
    {
        ArgumentNullException.ThrowIfNull(expectedShape);
        var tensor = Find(key);
        if (!tensor.Shape.AsSpan().SequenceEqual(expectedShape))
            throw Error(key, $"has shape {Format(tensor.Shape)} where the network needs {Format(expectedShape)}");
        return tensor;
    }

    /// <summary>
    /// A PyTorch linear weight [out, in] transposed to [in, out], the right operand of x·Wᵀ. With
    /// <paramref name="parts"/> &gt; 1 the stored weight stacks that many [out, in] blocks (as <c>in_proj_weight</c>
    /// stacks query, key and value) and block <paramref name="part"/> is returned.
    /// </summary>
    /// <exception cref="CheckpointException">The key is missing or its shape is not [parts·out, in].</exception>
    public float[] TransposedLinearWeight(string key, long outFeatures, long inFeatures, int part = 0, int parts = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        var source = Tensor(key, parts * outFeatures, inFeatures).Data;
        var rows = checked((int)outFeatures);
        var columns = checked((int)inFeatures);
        var transposed = new float[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            var row = source.AsSpan((part * rows + r) * columns, columns);
            for (var c = 0; c < columns; c++)
                transposed[c * rows + r] = row[c];
        }
        return transposed;
    }

    /// <summary>Segment <paramref name="part"/> of a vector that stacks <paramref name="parts"/> segments of <paramref name="length"/>.</summary>
    /// <exception cref="CheckpointException">The key is missing or its shape is not [parts·length].</exception>
    public float[] VectorPart(string key, long length, int part, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        var source = Tensor(key, parts * length).Data;
        var size = checked((int)length);
        return source.AsSpan(part * size, size).ToArray();
    }

    /// <summary>An error about the weight <paramref name="key"/> of this checkpoint.</summary>
    public CheckpointException Error(string key, string problem) =>
        new(CheckpointPath, $"its weight '{key}' {problem}");

    private CheckpointTensor Find(string key) =>
        _stateDict.TryGetValue(key, out var tensor) ? tensor : throw Error(key, "is missing from the state dict");

    private static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
