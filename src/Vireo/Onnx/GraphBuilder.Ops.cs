namespace Vireo.Onnx;

/// <summary>Typed helpers for the ONNX operators the synthetic models use (opset 18 semantics).</summary>
public sealed partial class GraphBuilder
{
    // Element-wise arithmetic with numpy broadcasting.
    public GraphValue Add(GraphValue a, GraphValue b) => Binary("Add", a, b);

    public GraphValue Sub(GraphValue a, GraphValue b) => Binary("Sub", a, b);

    public GraphValue Mul(GraphValue a, GraphValue b) => Binary("Mul", a, b);

    public GraphValue Div(GraphValue a, GraphValue b) => Binary("Div", a, b);

    public GraphValue Pow(GraphValue a, GraphValue exponent) => Emit("Pow", [a, exponent], a.Type, ShapeInference.Broadcast(a.Shape, exponent.Shape, "Pow"));

    public GraphValue Max(GraphValue a, GraphValue b) => Binary("Max", a, b);

    public GraphValue Min(GraphValue a, GraphValue b) => Binary("Min", a, b);

    public GraphValue Sqrt(GraphValue x) => Unary("Sqrt", x);

    public GraphValue Exp(GraphValue x) => Unary("Exp", x);

    public GraphValue Abs(GraphValue x) => Unary("Abs", x);

    public GraphValue Neg(GraphValue x) => Unary("Neg", x);

    public GraphValue Tanh(GraphValue x) => Unary("Tanh", x);

    public GraphValue Sigmoid(GraphValue x) => Unary("Sigmoid", x);

    public GraphValue Erf(GraphValue x) => Unary("Erf", x);

    public GraphValue Identity(GraphValue x) => Unary("Identity", x);

    public GraphValue Relu(GraphValue x) => Unary("Relu", x);

    public GraphValue Sin(GraphValue x) => Unary("Sin", x);

    public GraphValue Cos(GraphValue x) => Unary("Cos", x);

    public GraphValue Log(GraphValue x) => Unary("Log", x);

    /// <summary>PRelu: x where x ≥ 0, slope·x elsewhere (the slope broadcast against x).</summary>
    public GraphValue PRelu(GraphValue x, GraphValue slope)
    {
        RequireSameType("PRelu", x, slope);
        return Emit("PRelu", [x, slope], x.Type, x.Shape);
    }

    /// <summary>Elementwise choice: <paramref name="whenTrue"/> where <paramref name="condition"/> (bool) holds, else <paramref name="whenFalse"/>.</summary>
    public GraphValue Where(GraphValue condition, GraphValue whenTrue, GraphValue whenFalse)
    {
        RequireSameType("Where", whenTrue, whenFalse);
        var shape = ShapeInference.Broadcast(ShapeInference.Broadcast(condition.Shape, whenTrue.Shape, "Where"), whenFalse.Shape, "Where");
        return Emit("Where", [condition, whenTrue, whenFalse], whenTrue.Type, shape);
    }

    /// <summary>The int64 sequence start, start + 1, … below <paramref name="limit"/> (scalars), of the length the caller states.</summary>
    public GraphValue Range(GraphValue start, GraphValue limit, Dim length) =>
        Emit("Range", [start, limit, Int64Scalar(1)], OnnxDataType.Int64, [length]);

    /// <summary>GELU written with Erf, as exporters emit it: 0.5·x·(1 + erf(x/√2)).</summary>
    public GraphValue Gelu(GraphValue x)
    {
        var inner = Erf(Mul(x, Scalar(1 / MathF.Sqrt(2))));
        return Mul(Mul(x, Scalar(0.5f)), Add(inner, Scalar(1)));
    }

    /// <summary>QuickGELU, the activation of OpenAI's CLIP: x·sigmoid(1.702·x).</summary>
    public GraphValue QuickGelu(GraphValue x) => Mul(x, Sigmoid(Mul(x, Scalar(1.702f))));

    public GraphValue Cast(GraphValue x, OnnxDataType to) =>
        x.Type == to ? x : Emit("Cast", [x], to, x.Shape, OnnxAttribute.Int("to", (long)to));

    public GraphValue MatMul(GraphValue a, GraphValue b)
    {
        RequireSameType("MatMul", a, b);
        return Emit("MatMul", [a, b], a.Type, ShapeInference.MatMul(a.Shape, b.Shape));
    }

    /// <summary>Gemm: alpha·op(A)·op(B) + beta·C on 2-D operands.</summary>
    public GraphValue Gemm(GraphValue a, GraphValue b, GraphValue? c = null, bool transA = false, bool transB = false, float alpha = 1, float beta = 1)
    {
        RequireSameType("Gemm", a, b);
        IReadOnlyList<Dim>? shape = null;
        if (a.Shape is { Count: 2 } sa && b.Shape is { Count: 2 } sb)
        {
            var (m, k1) = transA ? (sa[1], sa[0]) : (sa[0], sa[1]);
            var (k2, n) = transB ? (sb[1], sb[0]) : (sb[0], sb[1]);
            if (k1.IsFixed && k2.IsFixed && k1 != k2)
                throw new ArgumentException($"Gemm: inner dimensions differ, {Dim.Format(sa)} x {Dim.Format(sb)}");
            shape = [m, n];
        }
        return Emit("Gemm", [a, b, c], a.Type, shape,
            OnnxAttribute.Int("transA", transA ? 1 : 0), OnnxAttribute.Int("transB", transB ? 1 : 0),
            OnnxAttribute.Float("alpha", alpha), OnnxAttribute.Float("beta", beta));
    }

    /// <summary>2-D convolution (NCHW) with square kernel, stride and symmetric padding; the kernel size comes from the weight shape.</summary>
    public GraphValue Conv(GraphValue x, GraphValue weight, GraphValue? bias = null, int stride = 1, int pad = 0)
    {
        RequireSameType("Conv", x, weight);
        return Emit("Conv", [x, weight, bias], x.Type, ConvShape(x, weight, stride, pad), ConvAttributes(weight, stride, pad));
    }

    public GraphValue Reshape(GraphValue x, params long[] shape) =>
        Emit("Reshape", [x, Int64s(shape)], x.Type, ShapeInference.Reshape(x.Shape, shape));

    public GraphValue Transpose(GraphValue x, params long[] perm)
    {
        IReadOnlyList<Dim>? shape = null;
        if (x.Shape is { } s)
        {
            if (perm.Length != s.Count || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= s.Count))
                throw new ArgumentException($"Transpose: [{string.Join(", ", perm)}] is not a permutation of rank {s.Count}");
            shape = [.. perm.Select(p => s[(int)p])];
        }
        return Emit("Transpose", [x], x.Type, shape, OnnxAttribute.Ints("perm", perm));
    }

    public GraphValue Flatten(GraphValue x, int axis = 1)
    {
        IReadOnlyList<Dim>? shape = null;
        if (x.Shape is { } s)
        {
            var a = axis < 0 ? axis + s.Count : axis;
            Dim Fold(IEnumerable<Dim> dims) => ShapeInference.Product(dims) is { } p ? p : dims.Count() == 1 ? dims.First() : Dim.Unknown;
            shape = [Fold(s.Take(a)), Fold(s.Skip(a))];
        }
        return Emit("Flatten", [x], x.Type, shape, OnnxAttribute.Int("axis", axis));
    }

    public GraphValue Unsqueeze(GraphValue x, params long[] axes)
    {
        IReadOnlyList<Dim>? shape = null;
        if (x.Shape is { } s)
        {
            var rank = s.Count + axes.Length;
            var inserted = axes.Select(a => ShapeInference.NormalizeAxis(a, rank, "Unsqueeze")).ToHashSet();
            var result = new List<Dim>();
            var source = 0;
            for (var i = 0; i < rank; i++)
                result.Add(inserted.Contains(i) ? 1 : s[source++]);
            shape = result;
        }
        return Emit("Unsqueeze", [x, Int64s(axes)], x.Type, shape);
    }

    public GraphValue Squeeze(GraphValue x, params long[] axes)
    {
        IReadOnlyList<Dim>? shape = null;
        if (x.Shape is { } s)
        {
            var removed = axes.Select(a => ShapeInference.NormalizeAxis(a, s.Count, "Squeeze")).ToHashSet();
            foreach (var a in removed)
            {
                if (s[a].IsFixed && s[a].Value != 1)
                    throw new ArgumentException($"Squeeze: axis {a} of {Dim.Format(s)} is not 1");
            }
            shape = [.. s.Where((_, i) => !removed.Contains(i))];
        }
        return Emit("Squeeze", [x, Int64s(axes)], x.Type, shape);
    }

    public GraphValue Concat(int axis, params GraphValue[] values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Length);
        IReadOnlyList<Dim>? shape = null;
        if (values.All(v => v.Shape is not null))
        {
            var first = values[0].Shape!;
            var a = ShapeInference.NormalizeAxis(axis, first.Count, "Concat");
            var parts = values.Select(v => v.Shape![a]).ToList();
            var joined = parts.All(p => p.IsFixed) ? Dim.Fixed(parts.Sum(p => p.Value!.Value)) : Dim.Unknown;
            shape = [.. first.Select((d, i) => i == a ? joined : d)];
        }
        return Emit("Concat", values, values[0].Type, shape, OnnxAttribute.Int("axis", axis));
    }

    /// <summary>Slice with constant starts/ends/axes (and steps of 1 unless given).</summary>
    public GraphValue Slice(GraphValue x, long[] starts, long[] ends, long[] axes, long[]? steps = null)
    {
        steps ??= [.. axes.Select(_ => 1L)];
        if (starts.Length != axes.Length || ends.Length != axes.Length || steps.Length != axes.Length)
            throw new ArgumentException("Slice: starts, ends, axes and steps must have the same length");
        IReadOnlyList<Dim>? shape = null;
        if (x.Shape is { } s)
        {
            var result = s.ToArray();
            for (var i = 0; i < axes.Length; i++)
            {
                var a = ShapeInference.NormalizeAxis(axes[i], s.Count, "Slice");
                result[a] = ShapeInference.SliceDim(s[a], starts[i], ends[i], steps[i]);
            }
            shape = result;
        }
        return Emit("Slice", [x, Int64s(starts), Int64s(ends), Int64s(axes), Int64s(steps)], x.Type, shape);
    }

    /// <summary>Slice whose bounds are graph values (for example taken from a Shape); the caller states the result shape.</summary>
    public GraphValue Slice(GraphValue x, GraphValue starts, GraphValue ends, GraphValue axes, IReadOnlyList<Dim>? resultShape) =>
        Emit("Slice", [x, starts, ends, axes], x.Type, resultShape);

    public GraphValue Gather(GraphValue data, GraphValue indices, int axis = 0)
    {
        IReadOnlyList<Dim>? shape = null;
        if (data.Shape is { } d && indices.Shape is { } i)
        {
            var a = ShapeInference.NormalizeAxis(axis, d.Count, "Gather");
            shape = [.. d.Take(a), .. i, .. d.Skip(a + 1)];
        }
        return Emit("Gather", [data, indices], data.Type, shape, OnnxAttribute.Int("axis", axis));
    }

    public GraphValue GatherND(GraphValue data, GraphValue indices, int batchDims = 0)
    {
        IReadOnlyList<Dim>? shape = null;
        if (data.Shape is { } d && indices.Shape is { } i && i[^1].Value is { } k)
            shape = [.. i.Take(i.Count - 1), .. d.Skip(batchDims + (int)k)];
        return Emit("GatherND", [data, indices], data.Type, shape, OnnxAttribute.Int("batch_dims", batchDims));
    }

    public GraphValue Softmax(GraphValue x, int axis = -1) => Emit("Softmax", [x], x.Type, x.Shape, OnnxAttribute.Int("axis", axis));

    /// <summary>LayerNormalization over the last axis (opset 17).</summary>
    public GraphValue LayerNormalization(GraphValue x, GraphValue scale, GraphValue bias, float epsilon = 1e-5f)
    {
        RequireSameType("LayerNormalization", x, scale);
        return Emit("LayerNormalization", [x, scale, bias], x.Type, x.Shape,
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", epsilon));
    }

    /// <summary>ReduceMean with axes as an input (opset 18).</summary>
    public GraphValue ReduceMean(GraphValue x, long[] axes, bool keepDims = true) => Reduce("ReduceMean", x, axes, keepDims);

    public GraphValue ReduceSum(GraphValue x, long[] axes, bool keepDims = true) => Reduce("ReduceSum", x, axes, keepDims);

    public GraphValue ArgMax(GraphValue x, int axis, bool keepDims = true)
    {
        IReadOnlyList<Dim>? shape = null;
        if (x.Shape is { } s)
        {
            var a = ShapeInference.NormalizeAxis(axis, s.Count, "ArgMax");
            shape = keepDims ? [.. s.Select((d, i) => i == a ? Dim.Fixed(1) : d)] : [.. s.Where((_, i) => i != a)];
        }
        return Emit("ArgMax", [x], OnnxDataType.Int64, shape, OnnxAttribute.Int("axis", axis), OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));
    }

    public GraphValue Shape(GraphValue x) =>
        Emit("Shape", [x], OnnxDataType.Int64, x.Shape is { } s ? [s.Count] : null);

    public GraphValue Expand(GraphValue x, GraphValue shape, IReadOnlyList<Dim>? resultShape) =>
        Emit("Expand", [x, shape], x.Type, resultShape);

    /// <summary>DynamicQuantizeLinear: uint8 values, their float scale and uint8 zero point.</summary>
    public (GraphValue Quantized, GraphValue Scale, GraphValue ZeroPoint) DynamicQuantizeLinear(GraphValue x)
    {
        var outputs = Node("DynamicQuantizeLinear", [x], [OnnxDataType.UInt8, OnnxDataType.Float, OnnxDataType.UInt8]);
        return (WithShape(outputs[0], [.. x.Shape ?? []]), WithShape(outputs[1]), WithShape(outputs[2]));
    }

    /// <summary>MatMulInteger: int32 product of 8-bit operands minus their zero points.</summary>
    public GraphValue MatMulInteger(GraphValue a, GraphValue b, GraphValue? aZeroPoint, GraphValue? bZeroPoint) =>
        Emit("MatMulInteger", [a, b, aZeroPoint, bZeroPoint], OnnxDataType.Int32, ShapeInference.MatMul(a.Shape, b.Shape));

    public GraphValue ConvInteger(GraphValue x, GraphValue weight, GraphValue? xZeroPoint, GraphValue? weightZeroPoint, int stride = 1, int pad = 0) =>
        Emit("ConvInteger", [x, weight, xZeroPoint, weightZeroPoint], OnnxDataType.Int32, ConvShape(x, weight, stride, pad), ConvAttributes(weight, stride, pad));

    public GraphValue DequantizeLinear(GraphValue x, GraphValue scale, GraphValue? zeroPoint) =>
        Emit("DequantizeLinear", [x, scale, zeroPoint], scale.Type, x.Shape);

    private GraphValue Binary(string op, GraphValue a, GraphValue b)
    {
        RequireSameType(op, a, b);
        return Emit(op, [a, b], a.Type, ShapeInference.Broadcast(a.Shape, b.Shape, op));
    }

    private GraphValue Unary(string op, GraphValue x) => Emit(op, [x], x.Type, x.Shape);

    private GraphValue Reduce(string op, GraphValue x, long[] axes, bool keepDims)
    {
        IReadOnlyList<Dim>? shape = null;
        if (x.Shape is { } s)
        {
            var reduced = axes.Select(a => ShapeInference.NormalizeAxis(a, s.Count, op)).ToHashSet();
            shape = keepDims ? [.. s.Select((d, i) => reduced.Contains(i) ? Dim.Fixed(1) : d)] : [.. s.Where((_, i) => !reduced.Contains(i))];
        }
        return Emit(op, [x, Int64s(axes)], x.Type, shape, OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));
    }

    private static IReadOnlyList<Dim>? ConvShape(GraphValue x, GraphValue weight, int stride, int pad)
    {
        if (x.Shape is not { Count: 4 } s || weight.Shape is not { Count: 4 } w)
            return null;
        if (s[1].IsFixed && w[1].IsFixed && s[1] != w[1])
            throw new ArgumentException($"Conv: input channels {s[1]} differ from the kernel's {w[1]}");
        return [s[0], w[0],
            ShapeInference.ConvOutput(s[2], w[2].Value!.Value, stride, pad, pad),
            ShapeInference.ConvOutput(s[3], w[3].Value!.Value, stride, pad, pad)];
    }

    private static OnnxAttribute[] ConvAttributes(GraphValue weight, int stride, int pad)
    {
        var w = weight.Shape ?? throw new ArgumentException("Conv: the kernel shape must be known");
        return
        [
            OnnxAttribute.Ints("kernel_shape", w[2].Value!.Value, w[3].Value!.Value),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", pad, pad, pad, pad),
        ];
    }

    private static void RequireSameType(string op, GraphValue a, GraphValue b)
    {
        if (a.Type != b.Type)
            throw new ArgumentException($"{op}: operand types differ ({a.Name} is {a.Type}, {b.Name} is {b.Type})");
    }
}
