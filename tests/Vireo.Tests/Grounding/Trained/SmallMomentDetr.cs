using Vireo.Grounding.Trained.Networks;
using static Vireo.Tests.Grounding.Trained.ReferenceMath;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>A random Moment-DETR state dict for any configuration, and its forward pass in plain C#.</summary>
internal static class SmallMomentDetr
{
    public static RandomStateDict StateDict(DetrConfig config, int seed)
    {
        var d = config.HiddenDim;
        var weights = new RandomStateDict(seed);
        for (var i = 0; i < config.InputProjections; i++)
        {
            weights.LayerNorm($"input_vid_proj.{i}.LayerNorm", i == 0 ? config.VideoDim : d).Linear($"input_vid_proj.{i}.net.1", i == 0 ? config.VideoDim : d, d);
            weights.LayerNorm($"input_txt_proj.{i}.LayerNorm", i == 0 ? config.TextDim : d).Linear($"input_txt_proj.{i}.net.1", i == 0 ? config.TextDim : d, d);
        }
        for (var i = 0; i < config.EncoderLayers; i++)
            weights.EncoderLayer($"transformer.encoder.layers.{i}", d, config.FeedForwardDim);
        for (var i = 0; i < config.DecoderLayers; i++)
            weights.DecoderLayer($"transformer.decoder.layers.{i}", d, config.FeedForwardDim);
        return weights.LayerNorm("transformer.decoder.norm", d).Tensor("query_embed.weight", config.Queries, d)
            .Linear("class_embed", d, 2).Linear("span_embed.layers.0", d, d).Linear("span_embed.layers.1", d, d).Linear("span_embed.layers.2", d, 2)
            .Linear("saliency_proj", d, 1);
    }

    public static (float[] Logits, float[] Spans, float[] Saliency) Reference(DetrConfig config, IReadOnlyDictionary<string, float[]> w, float[] video, float[] text)
    {
        int d = config.HiddenDim, clips = video.Length / config.VideoDim, tokens = text.Length / config.TextDim;
        var v = Project(w, "input_vid_proj", video, clips, config.InputProjections);
        var t = Project(w, "input_txt_proj", text, tokens, config.InputProjections);
        float[] memory = [.. v, .. t];
        float[] pos = [.. SinePositions(clips, d), .. new float[tokens * d]];
        for (var i = 0; i < config.EncoderLayers; i++)
            memory = EncoderLayer(w, $"transformer.encoder.layers.{i}", memory, pos, config.Heads, d);
        var state = new float[config.Queries * d];
        for (var i = 0; i < config.DecoderLayers; i++)
            state = DecoderLayer(w, $"transformer.decoder.layers.{i}", state, memory, pos, w["query_embed.weight"], config.Heads, d);
        state = LayerNorm(state, config.Queries, w["transformer.decoder.norm.weight"], w["transformer.decoder.norm.bias"]);
        var logits = Linear(state, config.Queries, w["class_embed.weight"], w["class_embed.bias"]);
        var spans = state;
        for (var i = 0; i < 3; i++)
        {
            spans = Linear(spans, config.Queries, w[$"span_embed.layers.{i}.weight"], w[$"span_embed.layers.{i}.bias"]);
            spans = i < 2 ? Relu(spans) : [.. spans.Select(x => (float)(1 / (1 + Math.Exp(-x))))];
        }
        var saliency = Linear(memory[..(clips * d)], clips, w["saliency_proj.weight"], w["saliency_proj.bias"]);
        return (logits, spans, saliency);
    }

    private static float[] Project(IReadOnlyDictionary<string, float[]> w, string prefix, float[] x, int rows, int layers)
    {
        for (var i = 0; i < layers; i++)
        {
            x = Linear(LayerNorm(x, rows, w[$"{prefix}.{i}.LayerNorm.weight"], w[$"{prefix}.{i}.LayerNorm.bias"]), rows, w[$"{prefix}.{i}.net.1.weight"], w[$"{prefix}.{i}.net.1.bias"]);
            if (i < layers - 1)
                x = Relu(x);
        }
        return x;
    }
}
