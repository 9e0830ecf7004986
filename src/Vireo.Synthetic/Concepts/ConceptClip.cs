using System.Text.Json.Nodes;
using Vireo.Models.Preprocessing;
using Vireo.Models.Tokenization;
using Vireo.Onnx;
using Vireo.Synthetic.Onnx;
using Vireo.Synthetic.Clip;
using Vireo.Synthetic.Layouts;

namespace Vireo.Synthetic.Concepts;

/// <summary>Settings of <see cref="ConceptClip"/>.</summary>
public sealed record ConceptModelOptions
{
    public IReadOnlyList<Concept> Concepts { get; init; } = Concept.Defaults;

    public int EmbedDim { get; init; } = 512;

    /// <summary>The image size written into the preprocessing configs (the model itself takes any size).</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>α: concept scores are −α · weighted squared distance to the prototype, before the softmax.</summary>
    public float Sharpness { get; init; } = 25;

    /// <summary>κ: pattern features are tanh(κ · mean absolute neighbour difference).</summary>
    public float PatternGain { get; init; } = 30;

    /// <summary>Seed of the random orthonormal concept directions.</summary>
    public ulong Seed { get; init; } = 11;
}

/// <summary>
/// A CLIP-shaped model with known meaning, for end-to-end tests.
/// <para>Image encoder: un-normalise the pixels with CLIP's mean/std; features f = (mean R, mean G, mean B,
/// stripes, checks) where, with h and v the mean absolute differences between horizontal and vertical
/// neighbours, stripes = tanh(κ·(max(h, v) − min(h, v))) and checks = tanh(κ·min(h, v)) (so plain frames
/// score 0 on both, stripes in one direction score on stripes, patterns in both directions on checks);
/// concept weights w = softmax(−α · Σ_k m_ck (f_k − p_ck)²) over prototypes p and feature weights m;
/// embedding Σ_c w_c · e_c, with e_c orthonormal directions in D dimensions.</para>
/// <para>Text encoder: each token id maps to at most one concept (a table over the 49,408 ids, then a Gather of
/// the concept's direction; unknown tokens give 0) and the directions are summed over the sequence (masked
/// tokens excluded in the combined model). So text("red") = e_red, text("a red car") = e_red,
/// text("red and white stripes") = e_red + e_white + e_striped.</para>
/// <para>Hence cos(text("red"), image(red frame)) ≈ 1 and ≈ 0 for the other colours.</para>
/// </summary>
public sealed class ConceptClip : SyntheticClip
{
    private readonly float[] _directions;
    private readonly int[] _conceptOfToken;

    /// <param name="options">Concepts and scales.</param>
    /// <param name="tokenConcepts">Token id → index into <see cref="ConceptModelOptions.Concepts"/> (from the real tokenizer).</param>
    public ConceptClip(ConceptModelOptions options, IReadOnlyDictionary<int, int> tokenConcepts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenConcepts);
        ArgumentOutOfRangeException.ThrowIfZero(options.Concepts.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EmbedDim, options.Concepts.Count);
        foreach (var concept in options.Concepts)
            concept.Validate();
        Options = options;
        _conceptOfToken = new int[VocabSize];
        Array.Fill(_conceptOfToken, options.Concepts.Count); // the zero row: no concept
        foreach (var (token, concept) in tokenConcepts)
        {
            if (token < 0 || token >= VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokenConcepts), token, $"token ids must be in [0, {VocabSize})");
            if (concept < 0 || concept >= options.Concepts.Count)
                throw new ArgumentOutOfRangeException(nameof(tokenConcepts), concept, $"concept indices must be in [0, {options.Concepts.Count})");
            _conceptOfToken[token] = concept;
        }
        TokenConcepts = new Dictionary<int, int>(tokenConcepts);
        _directions = OrthonormalRows(options.Concepts.Count, options.EmbedDim, options.Seed);
    }

    /// <summary>The concept model with each concept's words looked up as single CLIP tokens in <paramref name="vocabulary"/>.</summary>
    public static ConceptClip FromVocabulary(ClipVocabulary vocabulary, ConceptModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        options ??= new ConceptModelOptions();
        var map = new Dictionary<int, int>();
        for (var c = 0; c < options.Concepts.Count; c++)
        {
            var found = false;
            foreach (var word in options.Concepts[c].Words)
            {
                if (vocabulary.WordId(word) is { } id)
                {
                    map[id] = c;
                    found = true;
                }
            }
            if (!found)
                throw new ArgumentException($"none of the words of concept '{options.Concepts[c].Name}' ({string.Join(", ", options.Concepts[c].Words)}) is a single CLIP token; pass a token map instead");
        }
        return new ConceptClip(options, map);
    }

    public ConceptModelOptions Options { get; }

    public IReadOnlyList<Concept> Concepts => Options.Concepts;

    public IReadOnlyDictionary<int, int> TokenConcepts { get; }

    public override string Name => "concepts";

    public override int EmbedDim => Options.EmbedDim;

    public override int ImageSize => Options.ImageSize;

    private protected override bool VisionHasConvolution => false;

    /// <summary>The unit direction e_c of concept <paramref name="concept"/>.</summary>
    public ReadOnlySpan<float> Direction(int concept) => _directions.AsSpan(concept * EmbedDim, EmbedDim);

    public int IndexOf(string conceptName)
    {
        for (var i = 0; i < Concepts.Count; i++)
        {
            if (Concepts[i].Name == conceptName)
                return i;
        }
        throw new KeyNotFoundException($"no concept named '{conceptName}'");
    }

    private protected override GraphValue EncodeImage(ModelParts parts, GraphValue pixels)
    {
        var g = parts.Graph;
        var x = g.Add(g.Mul(pixels, g.FloatConstant([.. ImagePreprocessing.ClipStd], 1, 3, 1, 1)), g.FloatConstant([.. ImagePreprocessing.ClipMean], 1, 3, 1, 1));
        var colour = g.ReduceMean(x, [2, 3], keepDims: false);                                   // [B, 3]
        GraphValue NeighbourDifference(int axis)
        {
            var next = g.Slice(x, [1], [long.MaxValue], [axis]);
            var previous = g.Slice(x, [0], [-1], [axis]);
            return g.Unsqueeze(g.ReduceMean(g.Abs(g.Sub(next, previous)), [1, 2, 3], keepDims: false), 1); // [B, 1]
        }
        var horizontal = NeighbourDifference(3);
        var vertical = NeighbourDifference(2);
        var gain = g.Scalar(Options.PatternGain);
        var low = g.Min(horizontal, vertical);
        var stripes = g.Tanh(g.Mul(g.Sub(g.Max(horizontal, vertical), low), gain));
        var checks = g.Tanh(g.Mul(low, gain));
        var features = g.Concat(1, colour, stripes, checks);                                    // [B, 5]

        var count = Concepts.Count;
        var featureCount = Concept.Features.Count;
        var prototypes = g.FloatConstant([.. Concepts.SelectMany(c => c.Prototype)], count, featureCount);
        var weights = g.FloatConstant([.. Concepts.SelectMany(c => c.FeatureWeights)], count, featureCount);
        var difference = g.Sub(g.Unsqueeze(features, 1), prototypes);                           // [B, C, 5]
        var distance = g.ReduceSum(g.Mul(g.Mul(difference, difference), weights), [2], keepDims: false); // [B, C]
        var conceptWeights = g.Softmax(g.Mul(distance, g.Scalar(-Options.Sharpness)), 1);
        return parts.Linear(conceptWeights, "concepts.directions", TensorData.FromArray(_directions, count, EmbedDim), bias: null);
    }

    public override int TextWidth => EmbedDim;

    /// <summary>The sum of the tokens' concept directions; the per-token states are those directions.</summary>
    private protected override (GraphValue Embedding, GraphValue TokenStates) EncodeText(ModelParts parts, GraphValue ids, GraphValue? attentionMask)
    {
        var g = parts.Graph;
        var concepts = g.Gather(g.Initializer("concepts.token_concept", TensorData.FromArray(_conceptOfToken, VocabSize)), ids); // [B, L]
        var table = new float[(Concepts.Count + 1) * EmbedDim];
        _directions.CopyTo(table, 0);                                                             // the last row stays 0
        var rows = parts.Embedding(concepts, "concepts.token_directions", TensorData.FromArray(table, Concepts.Count + 1, EmbedDim)); // [B, L, D]
        if (attentionMask is not null)
            rows = g.Mul(rows, g.Unsqueeze(g.Cast(attentionMask, parts.ComputeType), 2));
        return (g.ReduceSum(rows, [1], keepDims: false), rows);
    }

    public override JsonObject HuggingFaceConfig() => new()
    {
        ["architectures"] = new JsonArray("CLIPModel"),
        ["model_type"] = "clip",
        ["projection_dim"] = EmbedDim,
        ["text_config"] = new JsonObject { ["model_type"] = "clip_text_model", ["vocab_size"] = VocabSize, ["max_position_embeddings"] = ContextLength, ["projection_dim"] = EmbedDim },
        ["vision_config"] = new JsonObject { ["model_type"] = "clip_vision_model", ["image_size"] = ImageSize, ["num_channels"] = 3, ["projection_dim"] = EmbedDim },
        ["vireo_concepts"] = new JsonArray([.. Concepts.Select(c => (JsonNode?)JsonValue.Create(c.Name))]),
    };

    public override JsonObject ImmichConfig() => new()
    {
        ["embed_dim"] = EmbedDim,
        ["vision_cfg"] = new JsonObject { ["image_size"] = ImageSize },
        ["text_cfg"] = new JsonObject { ["context_length"] = ContextLength, ["vocab_size"] = VocabSize },
    };

    /// <summary>Gram–Schmidt on seeded Gaussian rows: <paramref name="rows"/> orthonormal vectors in <paramref name="dims"/> dimensions.</summary>
    private static float[] OrthonormalRows(int rows, int dims, ulong seed)
    {
        var random = new SeededRandom(seed, "concept-directions");
        var basis = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            var v = new double[dims];
            for (var i = 0; i < dims; i++)
                v[i] = random.NextGaussian();
            foreach (var previous in basis.Take(r))
            {
                var dot = v.Zip(previous, (a, b) => a * b).Sum();
                for (var i = 0; i < dims; i++)
                    v[i] -= dot * previous[i];
            }
            var norm = Math.Sqrt(v.Sum(a => a * a));
            basis[r] = [.. v.Select(a => a / norm)];
        }
        return [.. basis.SelectMany(v => v.Select(a => (float)a))];
    }
}
