namespace Vireo.Onnx;

/// <summary>
/// A named value in a graph under construction (a graph input, an initializer or a node output), with its
/// element type and, where the builder could infer it, its shape.
/// </summary>
public sealed class GraphValue
{
    internal GraphValue(string name, OnnxDataType type, IReadOnlyList<Dim>? shape)
    {
        Name = name;
        Type = type;
        Shape = shape is null ? null : [.. shape];
    }

    public string Name { get; }

    public OnnxDataType Type { get; }

    /// <summary>The inferred shape; null when the builder could not infer even the rank.</summary>
    public IReadOnlyList<Dim>? Shape { get; }

    public int Rank => Shape?.Count ?? throw new InvalidOperationException($"the rank of '{Name}' is unknown");

    /// <summary>Dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public Dim this[int axis] => Shape is null ? Dim.Unknown : Shape[axis < 0 ? axis + Shape.Count : axis];

    public override string ToString() => $"{Name}: {Type} {Dim.Format(Shape)}";
}
