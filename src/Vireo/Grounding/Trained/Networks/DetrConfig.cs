using System.Collections;
using System.Globalization;
using Vireo.Models.Checkpoints;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// What a Lighthouse / moment_detr checkpoint's <c>opt</c> (its training arguments) says about the network and the
/// features it was trained on. Names follow the official options in comments.
/// </summary>
public sealed record DetrConfig
{
    public required DetrArchitecture Architecture { get; init; }

    /// <summary><c>hidden_dim</c>.</summary>
    public required int HiddenDim { get; init; }

    /// <summary><c>nheads</c>.</summary>
    public required int Heads { get; init; }

    /// <summary><c>dim_feedforward</c>.</summary>
    public required int FeedForwardDim { get; init; }

    /// <summary><c>enc_layers</c>.</summary>
    public required int EncoderLayers { get; init; }

    /// <summary><c>dec_layers</c>.</summary>
    public required int DecoderLayers { get; init; }

    /// <summary><c>t2v_layers</c> (QD-DETR, CG-DETR): text-to-video cross-attention layers.</summary>
    public int TextToVideoLayers { get; init; }

    /// <summary><c>num_queries</c>: moment queries, hence windows per prediction.</summary>
    public required int Queries { get; init; }

    /// <summary><c>n_input_proj</c>.</summary>
    public required int InputProjections { get; init; }

    /// <summary><c>v_feat_dim</c>: video input width including the two tef columns when <see cref="UsesTef"/>.</summary>
    public required int VideoDim { get; init; }

    /// <summary><c>t_feat_dim</c>.</summary>
    public required int TextDim { get; init; }

    /// <summary><c>max_v_l</c>: clips per window the network was trained on.</summary>
    public required int MaxVideoClips { get; init; }

    /// <summary><c>max_q_l</c>: text tokens kept.</summary>
    public required int MaxTextTokens { get; init; }

    /// <summary><c>clip_length</c>: seconds per clip.</summary>
    public required double ClipSeconds { get; init; }

    /// <summary><c>ctx_mode</c> contains <c>tef</c>: two temporal-endpoint columns are appended to the video features.</summary>
    public required bool UsesTef { get; init; }

    /// <summary><c>use_txt_pos</c> (false unless given).</summary>
    public bool UsesTextPositions { get; init; }

    /// <summary><c>v_feat_types</c> (e.g. <c>clip</c>, <c>clip_slowfast</c>).</summary>
    public required string VideoFeatures { get; init; }

    /// <summary><c>t_feat_type</c>.</summary>
    public required string TextFeatures { get; init; }

    /// <summary><c>dset_name</c>: the training set.</summary>
    public required string Dataset { get; init; }

    /// <summary><c>num_dummies</c> (CG-DETR).</summary>
    public int Dummies { get; init; }

    /// <summary><c>dummy_layers</c> (CG-DETR).</summary>
    public int DummyLayers { get; init; }

    /// <summary><c>sent_layers</c> (CG-DETR).</summary>
    public int SentenceLayers { get; init; }

    /// <summary><c>moment_layers</c> (CG-DETR).</summary>
    public int MomentLayers { get; init; }

    /// <summary><c>total_prompts</c> (CG-DETR).</summary>
    public int TotalPrompts { get; init; }

    /// <summary><c>num_prompts</c> (CG-DETR): prompts chosen per query.</summary>
    public int Prompts { get; init; }

    /// <summary>Reads the options of <paramref name="checkpoint"/>.</summary>
    /// <exception cref="CheckpointException">The architecture or an option the network needs is missing or unsupported.</exception>
    public static DetrConfig From(TorchCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var opt = checkpoint.Options();
        var reader = new OptionReader(opt, checkpoint.Path);
        var name = reader.String("model_name");
        var architecture = name switch
        {
            "moment_detr" => DetrArchitecture.MomentDetr,
            "qd_detr" => DetrArchitecture.QdDetr,
            "cg_detr" => DetrArchitecture.CgDetr,
            _ => throw new CheckpointException(checkpoint.Path,
                $"its architecture '{name}' is not supported (supported: moment_detr, qd_detr, cg_detr)"),
        };
        if (reader.OptionalString("span_loss_type") is { } spanLoss && spanLoss != "l1")
            throw new CheckpointException(checkpoint.Path, $"its span_loss_type '{spanLoss}' is not supported (only l1: center/width regression)");
        if (reader.OptionalString("position_embedding") is { } positions && positions != "sine")
            throw new CheckpointException(checkpoint.Path, $"its position_embedding '{positions}' is not supported (only sine)");
        var isCg = architecture == DetrArchitecture.CgDetr;
        return new DetrConfig
        {
            Architecture = architecture,
            HiddenDim = reader.Int("hidden_dim"),
            Heads = reader.Int("nheads"),
            FeedForwardDim = reader.Int("dim_feedforward"),
            EncoderLayers = reader.Int("enc_layers"),
            DecoderLayers = reader.Int("dec_layers"),
            TextToVideoLayers = architecture == DetrArchitecture.MomentDetr ? 0 : reader.OptionalInt("t2v_layers") ?? 2,
            Queries = reader.Int("num_queries"),
            InputProjections = reader.Int("n_input_proj"),
            VideoDim = reader.Int("v_feat_dim"),
            TextDim = reader.Int("t_feat_dim"),
            MaxVideoClips = reader.Int("max_v_l"),
            MaxTextTokens = reader.Int("max_q_l"),
            ClipSeconds = reader.Double("clip_length"),
            UsesTef = reader.String("ctx_mode").Contains("tef", StringComparison.Ordinal),
            UsesTextPositions = reader.OptionalBool("use_txt_pos") ?? false,
            VideoFeatures = reader.String("v_feat_types"),
            TextFeatures = reader.String("t_feat_type"),
            Dataset = reader.OptionalString("dset_name") ?? "unknown",
            Dummies = isCg ? reader.Int("num_dummies") : 0,
            DummyLayers = isCg ? reader.Int("dummy_layers") : 0,
            SentenceLayers = isCg ? reader.Int("sent_layers") : 0,
            MomentLayers = isCg ? reader.Int("moment_layers") : 0,
            TotalPrompts = isCg ? reader.Int("total_prompts") : 0,
            Prompts = isCg ? reader.Int("num_prompts") : 0,
        };
    }

    private readonly struct OptionReader(IReadOnlyDictionary<string, object?> options, string path)
    {
        public string String(string name) => OptionalString(name) ?? throw Missing(name);

        public string? OptionalString(string name) => options.GetValueOrDefault(name) switch
        {
            null => null,
            string s => s,
            IEnumerable list => string.Join("_", list.Cast<object>()),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };

        public int Int(string name) => OptionalInt(name) ?? throw Missing(name);

        public int? OptionalInt(string name) => options.GetValueOrDefault(name) switch
        {
            null => null,
            int i => i,
            long l => checked((int)l),
            var other => throw Wrong(name, other),
        };

        public double Double(string name) => options.GetValueOrDefault(name) switch
        {
            null => throw Missing(name),
            int i => i,
            long l => l,
            double d => d,
            var other => throw Wrong(name, other),
        };

        public bool? OptionalBool(string name) => options.GetValueOrDefault(name) switch
        {
            null => null,
            bool b => b,
            var other => throw Wrong(name, other),
        };

        private CheckpointException Missing(string name) =>
            new(path, $"its training options (opt) lack '{name}', which the network needs");

        private CheckpointException Wrong(string name, object value) =>
            new(path, $"its training option '{name}' is {value} ({value.GetType().Name}), not a number of the expected kind");
    }
}
