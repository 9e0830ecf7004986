using System.Globalization;

namespace Vireo.Onnx;

/// <summary>
/// One dimension of a tensor shape: a fixed size, a symbolic name shared by dimensions of equal size
/// (such as "batch_size"), or unknown.
/// </summary>
public readonly record struct Dim
{
    private Dim(long? value, string? param)
    {
        Value = value;
        Param = param;
    }

    public long? Value { get; }

    public string? Param { get; }

    public static Dim Unknown => default;

    public bool IsFixed => Value.HasValue;

    public static Dim Fixed(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new Dim(value, null);
    }

    public static Dim Symbolic(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Dim(null, name);
    }

    public static implicit operator Dim(long value) => Fixed(value);

    public static implicit operator Dim(string name) => Symbolic(name);

    /// <summary>The size, with symbolic dimensions looked up in <paramref name="bindings"/>; throws when unresolved.</summary>
    public long Resolve(IReadOnlyDictionary<string, long> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        if (Value is { } value)
            return value;
        if (Param is { } param && bindings.TryGetValue(param, out var bound))
            return bound;
        throw new InvalidOperationException(Param is null ? "the dimension is unknown" : $"no value bound to the symbolic dimension '{Param}'");
    }

    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? Param ?? "?";

    public static string Format(IReadOnlyList<Dim>? shape) => shape is null ? "[?]" : "[" + string.Join(", ", shape) + "]";
}
