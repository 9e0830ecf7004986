namespace Vireo.Onnx;

/// <summary>
/// The static shape rules the graph builder applies as it adds nodes. They are deliberately strict: a
/// mismatch that ONNX Runtime would reject at load time is reported when the node is added instead.
/// </summary>
internal static class ShapeInference
{
    public static IReadOnlyList<Dim>? Broadcast(IReadOnlyList<Dim>? a, IReadOnlyList<Dim>? b, string op)
    {
        if (a is null || b is null)
            return null;
        var rank = Math.Max(a.Count, b.Count);
        var result = new Dim[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Count ? Dim.Fixed(1) : a[i - (rank - a.Count)];
            var db = i < rank - b.Count ? Dim.Fixed(1) : b[i - (rank - b.Count)];
            result[i] = BroadcastDim(da, db, op);
        }
        return result;
    }

    private static Dim BroadcastDim(Dim a, Dim b, string op)
    {
        if (a == b)
            return a;
        if (a.Value == 1)
            return b;
        if (b.Value == 1)
            return a;
        if (a.IsFixed && b.IsFixed)
            throw new ArgumentException($"{op}: dimensions {a} and {b} cannot broadcast");
        if (a.IsFixed)
            return a;
        if (b.IsFixed)
            return b;
        return a.Param is not null && b.Param is null ? a : b.Param is not null && a.Param is null ? b : Dim.Unknown;
    }

    public static IReadOnlyList<Dim>? MatMul(IReadOnlyList<Dim>? a, IReadOnlyList<Dim>? b)
    {
        if (a is null || b is null)
            return null;
        if (a.Count < 2 || b.Count < 2)
            throw new ArgumentException($"MatMul: this builder needs operands of rank >= 2, got {Dim.Format(a)} x {Dim.Format(b)}");
        var inner = (a[^1], b[^2]);
        if (inner.Item1.IsFixed && inner.Item2.IsFixed && inner.Item1 != inner.Item2)
            throw new ArgumentException($"MatMul: inner dimensions differ, {Dim.Format(a)} x {Dim.Format(b)}");
        var batch = Broadcast([.. a.Take(a.Count - 2)], [.. b.Take(b.Count - 2)], "MatMul")!;
        return [.. batch, a[^2], b[^1]];
    }

    public static Dim ConvOutput(Dim input, long kernel, long stride, long padBegin, long padEnd)
    {
        if (input.Value is not { } size)
            return Dim.Unknown;
        var result = (size + padBegin + padEnd - kernel) / stride + 1;
        if (result <= 0)
            throw new ArgumentException($"Conv: kernel {kernel} does not fit an input of {size}");
        return result;
    }

    public static IReadOnlyList<Dim>? Reshape(IReadOnlyList<Dim>? input, IReadOnlyList<long> target)
    {
        var result = new Dim[target.Count];
        var inferred = -1;
        for (var i = 0; i < target.Count; i++)
        {
            switch (target[i])
            {
                case 0:
                    result[i] = input is not null && i < input.Count ? input[i] : Dim.Unknown;
                    break;
                case -1:
                    if (inferred >= 0)
                        throw new ArgumentException("Reshape: at most one dimension may be -1");
                    inferred = i;
                    break;
                case < -1:
                    throw new ArgumentException($"Reshape: invalid dimension {target[i]}");
                default:
                    result[i] = target[i];
                    break;
            }
        }
        if (inferred >= 0)
            result[inferred] = InferMissing(input, result, inferred);
        else if (input is not null && Product(input) is { } total && Product(result) is { } product && total != product)
            throw new ArgumentException($"Reshape: cannot reshape {Dim.Format(input)} to [{string.Join(", ", target)}]");
        return result;
    }

    private static Dim InferMissing(IReadOnlyList<Dim>? input, Dim[] result, int inferred)
    {
        if (input is null)
            return Dim.Unknown;
        // Cancel the dimensions shared by input and result (e.g. a symbolic batch) before dividing.
        var remaining = input.ToList();
        long known = 1;
        for (var i = 0; i < result.Length; i++)
        {
            if (i == inferred)
                continue;
            var index = remaining.IndexOf(result[i]);
            if (index >= 0 && !result[i].IsFixed)
                remaining.RemoveAt(index);
            else if (result[i].Value is { } value)
                known *= value;
            else
                return Dim.Unknown;
        }
        if (Product(remaining) is not { } total)
            return Dim.Unknown;
        if (known == 0 || total % known != 0)
            throw new ArgumentException($"Reshape: {Dim.Format(input)} does not divide into the requested shape");
        return total / known;
    }

    public static long? Product(IEnumerable<Dim> shape)
    {
        long product = 1;
        foreach (var d in shape)
        {
            if (d.Value is not { } v)
                return null;
            product *= v;
        }
        return product;
    }

    public static int NormalizeAxis(long axis, int rank, string op)
    {
        var a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentException($"{op}: axis {axis} is out of range for rank {rank}");
        return (int)a;
    }

    public static Dim SliceDim(Dim input, long start, long end, long step)
    {
        if (input.Value is not { } size)
            return Dim.Unknown;
        long Clamp(long v, long low, long high) => Math.Min(Math.Max(v, low), high);
        start = start < 0 ? start + size : start;
        end = end < 0 ? end + size : end;
        if (step > 0)
        {
            start = Clamp(start, 0, size);
            end = Clamp(end, 0, size);
            return Math.Max(0, (end - start + step - 1) / step);
        }
        start = Clamp(start, -1, size - 1);
        end = Clamp(end, -1, size - 1);
        return Math.Max(0, (start - end - step - 1) / -step);
    }
}
