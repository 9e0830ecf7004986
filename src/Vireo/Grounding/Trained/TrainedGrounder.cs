using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Vireo.Grounding.Trained.Networks;
using Vireo.Models;

namespace Vireo.Grounding.Trained;

/// <summary>
/// A trained grounder (Moment-DETR, QD-DETR, CG-DETR …) imported into a Vireo grounder folder: its ONNX graph on ONNX
/// Runtime. <see cref="Forward"/> runs one window exactly as the official evaluation does (batch 1); <see cref="Predict"/>
/// grounds a sentence in a video of any length.
/// </summary>
public sealed class TrainedGrounder : IDisposable
{
    private readonly InferenceSession _session;

    private TrainedGrounder(string folder, GrounderManifest manifest, InferenceSession session)
    {
        Folder = folder;
        Manifest = manifest;
        _session = session;
    }

    public string Folder { get; }

    public GrounderManifest Manifest { get; }

    public DetrConfig Config => Manifest.Config;

    /// <summary>Opens a grounder folder, checking the graph against the manifest's checksum.</summary>
    /// <exception cref="ModelFileException">The manifest or the graph is missing, altered or unloadable.</exception>
    public static TrainedGrounder Open(string folder, int intraOpThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var manifest = GrounderManifest.Read(Path.Combine(folder, GrounderManifest.FileName));
        var graph = Path.Combine(folder, GrounderManifest.GraphFileName);
        if (!File.Exists(graph))
            throw new ModelFileException(graph, "the grounder's ONNX graph is missing; import the checkpoint again");
        var sha = Sha256Of(graph);
        if (!string.Equals(sha, manifest.GraphSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelFileException(graph, $"the grounder's ONNX graph does not match its manifest (SHA-256 {sha}, expected {manifest.GraphSha256}): altered or damaged; import the checkpoint again");
        return new TrainedGrounder(folder, manifest, OnnxSessions.Open(graph, intraOpThreads));
    }

    /// <summary>One forward pass over prepared inputs (see <see cref="GrounderInputs"/>): [clips, video dim] and [tokens, text dim].</summary>
    public DetrOutputs Forward(float[] video, int clips, float[] text, int tokens)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(text);
        if (video.Length != clips * Config.VideoDim)
            throw new ArgumentException($"{video.Length} video values are not {clips} clips of {Config.VideoDim}", nameof(video));
        if (text.Length != tokens * Config.TextDim)
            throw new ArgumentException($"{text.Length} text values are not {tokens} tokens of {Config.TextDim}", nameof(text));
        using var videoValue = OrtValue.CreateTensorValueFromMemory(video, [1, clips, Config.VideoDim]);
        using var textValue = OrtValue.CreateTensorValueFromMemory(text, [1, tokens, Config.TextDim]);
        // Held in a using: a RunOptions only passed inline may be finalized (freed) while the native run still reads it.
        using var runOptions = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        using var outputs = _session.Run(runOptions, [DetrGraphContract.Video, DetrGraphContract.Text], [videoValue, textValue],
            [DetrGraphContract.Logits, DetrGraphContract.Spans, DetrGraphContract.Saliency]);
        return new DetrOutputs(outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray(),
            outputs[2].GetTensorDataAsSpan<float>().ToArray());
    }

    /// <summary>
    /// Grounds a sentence (its raw token features, [tokens, text dim]) in a video (its raw clip features, [clips, feature
    /// dim], one per <see cref="FeatureSpec.ClipSeconds"/>), windowing videos longer than the network's training length.
    /// </summary>
    /// <param name="clipFeatures">Raw clip features, [clips, feature dim].</param>
    /// <param name="clips">The number of clips.</param>
    /// <param name="tokenFeatures">Raw token features, [tokens, text dim].</param>
    /// <param name="tokens">The number of tokens.</param>
    /// <param name="maxMoments">Moments kept when windows are merged (see <see cref="WindowedPrediction.Merge"/>).</param>
    public WindowedPrediction Predict(ReadOnlySpan<float> clipFeatures, int clips, ReadOnlySpan<float> tokenFeatures, int tokens, int? maxMoments = null)
    {
        var spec = Manifest.Features;
        if (clips < 1 || clipFeatures.Length != clips * spec.VideoDim)
            throw new ArgumentException($"{clipFeatures.Length} clip values are not {clips} clips of {spec.VideoDim} (the grounder's {spec.VideoEncoder} features)", nameof(clipFeatures));
        if (tokens < 1 || tokenFeatures.Length != tokens * spec.TextDim)
            throw new ArgumentException($"{tokenFeatures.Length} token values are not {tokens} tokens of {spec.TextDim}", nameof(tokenFeatures));
        var text = GrounderInputs.Text(tokenFeatures, tokens, spec.TextDim, spec.MaxTextTokens);
        var keptTokens = Math.Min(tokens, spec.MaxTextTokens);
        var windows = ClipWindow.Cover(clips, Config.MaxVideoClips);
        var passes = new WindowPass[windows.Count];
        for (var i = 0; i < windows.Count; i++)
        {
            var window = windows[i];
            var features = clipFeatures.Slice(window.Start * spec.VideoDim, window.Count * spec.VideoDim);
            var video = GrounderInputs.Video(features, window.Count, spec.VideoDim, spec.Tef);
            passes[i] = new WindowPass(window, Forward(video, window.Count, text, keptTokens));
        }
        return WindowedPrediction.Merge(passes, clips, (float)spec.ClipSeconds, maxMoments);
    }

    public void Dispose() => _session.Dispose();

    internal static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
