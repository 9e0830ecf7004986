using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Vireo.Models;

/// <summary>Which half of a CLIP model a session plays.</summary>
internal enum TowerKind
{
    Text,
    Vision,
}

/// <summary>
/// One ONNX Runtime session used as a text or vision tower. Input and output names, element types and shapes
/// are read from the session's metadata (known names first, then by type and rank), never assumed.
/// Fixed-batch models are run one item at a time; dynamic ones take whole batches.
/// </summary>
internal sealed class OnnxTower : IDisposable
{
    private static readonly string[] TextInputNames = ["input_ids", "text", "tokens"];
    private static readonly string[] VisionInputNames = ["pixel_values", "image", "images"];
    private static readonly string[] TextOutputNames = ["text_embeds", "embedding", "embeddings", "text_features"];
    private static readonly string[] VisionOutputNames = ["image_embeds", "embedding", "embeddings", "image_features"];

    /// <summary>The per-token output of Hugging Face text encoders (after the final layer norm).</summary>
    internal const string TokenStatesOutputName = "last_hidden_state";

    private readonly InferenceSession _session;
    private readonly string[] _outputNames;
    private readonly (string Name, OrtValue Value)[] _otherInputs;

    private OnnxTower(string path, InferenceSession session, TowerKind kind, (int Width, int Height) imageSize)
    {
        Path = path;
        Kind = kind;
        _session = session;
        var inputs = session.InputMetadata;
        InputName = kind == TowerKind.Text
            ? Pick(path, inputs, TextInputNames, m => IsInteger(m.ElementDataType) && m.Dimensions.Length == 2, "an integer token input [batch, sequence] (input_ids or text)")
            : Pick(path, inputs, VisionInputNames, m => IsFloat(m.ElementDataType) && m.Dimensions.Length == 4, "a float image input [batch, 3, height, width] (pixel_values or image)");
        var input = inputs[InputName];
        InputType = input.ElementDataType;
        InputDimensions = input.Dimensions;
        if (kind == TowerKind.Text && !IsInteger(InputType))
            throw new ModelFileException(path, $"text input '{InputName}' is {InputType}, expected int64 or int32 token ids");
        if (kind == TowerKind.Vision && (!IsFloat(InputType) || InputDimensions.Length != 4 || (InputDimensions[1] > 0 && InputDimensions[1] != 3)))
            throw new ModelFileException(path, $"image input '{InputName}' must be float [batch, 3, height, width], found {InputType} [{string.Join(", ", InputDimensions)}]");
        AttentionMaskName = kind == TowerKind.Text && inputs.ContainsKey("attention_mask") ? "attention_mask" : null;

        OutputName = Pick(path, session.OutputMetadata, kind == TowerKind.Text ? TextOutputNames : VisionOutputNames,
            m => IsFloat(m.ElementDataType) && m.Dimensions.Length == 2, "a float embedding output [batch, dimension]");
        var output = session.OutputMetadata[OutputName];
        if (output.Dimensions.Length != 2 || !IsFloat(output.ElementDataType))
            throw new ModelFileException(path, $"output '{OutputName}' must be a float [batch, dimension] embedding, found {output.ElementDataType} [{string.Join(", ", output.Dimensions)}]");
        OutputType = output.ElementDataType;
        EmbeddingDimension = output.Dimensions[1] > 0 ? output.Dimensions[1] : null;
        _outputNames = [OutputName];
        TokenStatesName = kind == TowerKind.Text
            && session.OutputMetadata.TryGetValue(TokenStatesOutputName, out var states)
            && states.Dimensions.Length == 3 && IsFloat(states.ElementDataType)
            ? TokenStatesOutputName
            : null;
        _otherInputs = [.. inputs.Where(kv => kv.Key != InputName && kv.Key != AttentionMaskName).Select(kv => (kv.Key, Placeholder(path, kv.Key, kv.Value, imageSize)))];
    }

    /// <summary>
    /// A combined model (both towers in one graph) needs every input on every call: the other tower gets a
    /// minimal zero tensor, and only this tower's output is requested.
    /// </summary>
    private static OrtValue Placeholder(string path, string name, NodeMetadata metadata, (int Width, int Height) imageSize)
    {
        var rank = metadata.Dimensions.Length;
        var shape = metadata.Dimensions.Select((d, i) => d > 0 ? (long)d : (rank, i) switch
        {
            (4, 1) => 3L,
            (4, 2) => imageSize.Height,
            (4, 3) => imageSize.Width,
            _ => 1L,
        }).ToArray();
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        return metadata.ElementDataType switch
        {
            TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(new float[count], shape),
            TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(new Float16[count], shape),
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, count).ToArray(), shape),
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1, count).ToArray(), shape),
            _ => throw new ModelFileException(path, $"input '{name}' has unsupported type {metadata.ElementDataType}"),
        };
    }

    public string Path { get; }

    public TowerKind Kind { get; }

    public string InputName { get; }

    public TensorElementType InputType { get; }

    /// <summary>Input dimensions; -1 marks a dynamic (symbolic) one.</summary>
    public int[] InputDimensions { get; }

    public string? AttentionMaskName { get; }

    public string OutputName { get; }

    public TensorElementType OutputType { get; }

    /// <summary>The text tower's per-token output [batch, sequence, width] (<c>last_hidden_state</c>), when the model has one.</summary>
    public string? TokenStatesName { get; }

    /// <summary>The embedding size, when the model declares it.</summary>
    public int? EmbeddingDimension { get; private set; }

    /// <summary>The batch size the model is fixed to (immich exports: 1), or null when it is dynamic.</summary>
    public int? FixedBatch => InputDimensions[0] > 0 ? InputDimensions[0] : null;

    /// <summary>A fixed second input dimension: the text context length, or the channel count.</summary>
    public int? FixedSequenceLength => Kind == TowerKind.Text && InputDimensions[1] > 0 ? InputDimensions[1] : null;

    /// <summary>The image size the model is fixed to, when it is.</summary>
    public (int Height, int Width)? FixedImageSize =>
        Kind == TowerKind.Vision && InputDimensions[2] > 0 && InputDimensions[3] > 0 ? (InputDimensions[2], InputDimensions[3]) : null;

    /// <param name="path">The .onnx file.</param>
    /// <param name="kind">Which tower to use it as.</param>
    /// <param name="options">Threads and batch size.</param>
    /// <param name="imageSize">The preprocessed image size, for a combined model's placeholder image.</param>
    public static OnnxTower Open(string path, TowerKind kind, EncoderOptions options, (int Width, int Height) imageSize)
    {
        var session = OnnxSessions.Open(path, options.IntraOpThreads);
        try
        {
            return new OnnxTower(path, session, kind, imageSize);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs token ids [batch, sequence] (with an attention mask when the model takes one); returns [batch, D] floats.</summary>
    public float[] RunText(long[] tokenIds, long[] attentionMask, int batch, int sequence) =>
        RunText(tokenIds, attentionMask, batch, sequence, withTokenStates: false).Embeddings;

    /// <summary>
    /// Runs token ids like <see cref="RunText(long[], long[], int, int)"/> and also returns the per-token output
    /// [batch, sequence, width] (<see cref="TokenStatesName"/>; the model must have it).
    /// </summary>
    public (float[] Embeddings, float[] TokenStates, int Width) RunTextWithTokenStates(long[] tokenIds, long[] attentionMask, int batch, int sequence)
    {
        var (embeddings, states) = RunText(tokenIds, attentionMask, batch, sequence, withTokenStates: true);
        return (embeddings, states!.Value.Values, states.Value.Width);
    }

    private (float[] Embeddings, (float[] Values, int Width)? TokenStates) RunText(long[] tokenIds, long[] attentionMask, int batch, int sequence, bool withTokenStates)
    {
        if (withTokenStates && TokenStatesName is null)
            throw new InvalidOperationException($"{Path} has no {TokenStatesOutputName} output");
        var outputs = withTokenStates ? new[] { OutputName, TokenStatesName! } : _outputNames;
        var shape = new long[] { batch, sequence };
        using var ids = InputType == TensorElementType.Int32
            ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(tokenIds, v => (int)v), shape)
            : OrtValue.CreateTensorValueFromMemory(tokenIds, shape);
        if (AttentionMaskName is null)
            return Run([InputName], [ids], batch, outputs, sequence);
        var maskType = _session.InputMetadata[AttentionMaskName].ElementDataType;
        using var mask = maskType == TensorElementType.Int32
            ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(attentionMask, v => (int)v), shape)
            : OrtValue.CreateTensorValueFromMemory(attentionMask, shape);
        return Run([InputName, AttentionMaskName], [ids, mask], batch, outputs, sequence);
    }

    /// <summary>Runs preprocessed images [batch, 3, H, W]; returns [batch, D] floats.</summary>
    public float[] RunVision(float[] pixels, int batch, int height, int width)
    {
        var shape = new long[] { batch, 3, height, width };
        using var input = InputType == TensorElementType.Float16
            ? OrtValue.CreateTensorValueFromMemory(ToHalf(pixels, batch * 3 * height * width), shape)
            : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels.AsMemory(0, batch * 3 * height * width), shape);
        return Run([InputName], [input], batch, _outputNames, 0).Embeddings;
    }

    private (float[] Embeddings, (float[] Values, int Width)? TokenStates) Run(string[] names, OrtValue[] values, int batch, string[] outputNames, int sequence)
    {
        if (_otherInputs.Length > 0)
        {
            names = [.. names, .. _otherInputs.Select(o => o.Name)];
            values = [.. values, .. _otherInputs.Select(o => o.Value)];
        }
        using var runOptions = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        IDisposableReadOnlyCollection<OrtValue> results;
        try
        {
            results = _session.Run(runOptions, names, values, outputNames);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFileException(Path, "running the model failed: " + OnnxSessions.FirstLine(e.Message), e);
        }
        using var owned = results;
        var output = results[0];
        var shape = output.GetTensorTypeAndShape().Shape;
        if (shape.Length != 2 || shape[0] != batch)
            throw new ModelFileException(Path, $"output '{OutputName}' came back as [{string.Join(", ", shape)}], expected [{batch}, dimension]");
        var dimension = (int)shape[1];
        if (EmbeddingDimension is { } declared && declared != dimension)
            throw new ModelFileException(Path, $"output '{OutputName}' has {dimension} values per item but declares {declared}");
        EmbeddingDimension = dimension;
        var result = ToFloats(output, batch * dimension);
        if (outputNames.Length == 1)
            return (result, null);
        var states = results[1];
        var statesShape = states.GetTensorTypeAndShape().Shape;
        if (statesShape.Length != 3 || statesShape[0] != batch || statesShape[1] != sequence)
            throw new ModelFileException(Path, $"output '{TokenStatesName}' came back as [{string.Join(", ", statesShape)}], expected [{batch}, {sequence}, width]");
        var width = (int)statesShape[2];
        return (result, (ToFloats(states, batch * sequence * width), width));
    }

    private static float[] ToFloats(OrtValue tensor, int count)
    {
        var result = new float[count];
        if (tensor.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float16)
        {
            var halves = tensor.GetTensorDataAsSpan<Float16>();
            for (var i = 0; i < result.Length; i++)
                result[i] = halves[i].ToFloat();
        }
        else
        {
            tensor.GetTensorDataAsSpan<float>()[..result.Length].CopyTo(result);
        }
        return result;
    }

    private static Float16[] ToHalf(float[] values, int count)
    {
        var halves = new Float16[count];
        for (var i = 0; i < count; i++)
            halves[i] = (Float16)values[i];
        return halves;
    }

    private static string Pick(string path, IReadOnlyDictionary<string, NodeMetadata> metadata, string[] knownNames, Func<NodeMetadata, bool> fits, string expected)
    {
        foreach (var name in knownNames)
        {
            if (metadata.ContainsKey(name))
                return name;
        }
        var candidates = metadata.Where(kv => kv.Value.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR && fits(kv.Value)).Select(kv => kv.Key).ToList();
        if (candidates.Count == 1)
            return candidates[0];
        var described = string.Join(", ", metadata.Select(kv => $"{kv.Key} {kv.Value.ElementDataType} [{string.Join(", ", kv.Value.Dimensions)}]"));
        throw new ModelFileException(path, $"cannot tell which tensor is {expected}; the model has: {described}");
    }

    private static bool IsInteger(TensorElementType type) => type is TensorElementType.Int64 or TensorElementType.Int32;

    private static bool IsFloat(TensorElementType type) => type is TensorElementType.Float or TensorElementType.Float16;

    public void Dispose()
    {
        foreach (var (_, value) in _otherInputs)
            value.Dispose();
        _session.Dispose();
    }
}
