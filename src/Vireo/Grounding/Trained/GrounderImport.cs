using Vireo.Errors;
using Vireo.Grounding.Trained.Networks;
using Vireo.Models;
using Vireo.Models.Checkpoints;

namespace Vireo.Grounding.Trained;

/// <summary>
/// Turns a Lighthouse / moment_detr checkpoint into a grounder folder, in C# without Python: the pickle is read
/// (<see cref="TorchCheckpoint"/>), the network rebuilt as an ONNX graph (<see cref="DetrNetwork"/>), the graph loaded
/// and run once on ONNX Runtime to prove it works, then the folder appears whole (written beside, renamed into place).
/// </summary>
public static class GrounderImport
{
    /// <summary>Video feature kinds Vireo computes itself (Lighthouse's <c>v_feat_types</c>).</summary>
    private static readonly string[] ComputableVideoFeatures = ["clip"];

    /// <summary>CLIP ViT-B/32's embedding and token width, the features Lighthouse's <c>clip</c> checkpoints take.</summary>
    private const int ClipWidth = 512;

    /// <exception cref="CheckpointException">Not a checkpoint, or of an architecture or features Vireo cannot run.</exception>
    /// <exception cref="ConflictException">A grounder of that name exists and <paramref name="replace"/> is false.</exception>
    public static async Task<GrounderManifest> ImportAsync(GrounderStore store, string checkpointOrFolder, string? name = null, bool replace = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var path = FindCheckpoint(checkpointOrFolder);
        var checkpoint = TorchCheckpoint.Read(path);
        var config = DetrConfig.From(checkpoint);
        RequireComputableFeatures(config, checkpoint.Path);
        name ??= $"{ArchitectureName(config.Architecture)}-{config.Dataset}-{config.VideoFeatures}";
        var target = store.FolderFor(name);
        if (Directory.Exists(target) && !replace)
            throw new ConflictException($"a grounder named '{name}' exists ({target}); choose another --name or pass --replace");
        var weights = checkpoint.StateDict();
        var model = DetrNetwork.Build(config, weights, checkpoint.Path);
        cancellationToken.ThrowIfCancellationRequested();

        Directory.CreateDirectory(store.Directory);
        store.RemoveAbandonedImports();
        var staging = Path.Combine(store.Directory, $".{name}.importing-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            var graph = Path.Combine(staging, GrounderManifest.GraphFileName);
            await model.SaveAsync(graph, cancellationToken).ConfigureAwait(false);
            var manifest = new GrounderManifest
            {
                Name = name,
                Architecture = config.Architecture,
                Config = config,
                Features = FeaturesOf(config),
                TrainedOn = config.Dataset,
                SourceCheckpoint = Path.GetFileName(path),
                SourceSha256 = TrainedGrounder.Sha256Of(path),
                GraphSha256 = TrainedGrounder.Sha256Of(graph),
                ImportedAt = DateTimeOffset.UtcNow,
            };
            manifest.Write(Path.Combine(staging, GrounderManifest.FileName));
            using (var grounder = TrainedGrounder.Open(staging, intraOpThreads: 1))
                Probe(grounder, checkpoint.Path);
            MoveIntoPlace(staging, target, name);
            return manifest;
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Puts the new folder where the grounder lives; an existing one is moved aside first and put back if the move
    /// fails, so a failed replace keeps the old grounder.
    /// </summary>
    private static void MoveIntoPlace(string staging, string target, string name)
    {
        var previous = Directory.Exists(target) ? target + $".replaced-{Guid.NewGuid():N}" : null;
        if (previous is not null)
            Directory.Move(target, previous);
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException e)
        {
            if (previous is not null && !Directory.Exists(target))
                Directory.Move(previous, target);
            throw new ConflictException($"the grounder '{name}' could not be put in place ({e.Message}); another import of that name may be running");
        }
        if (previous is not null)
            Directory.Delete(previous, recursive: true);
    }

    public static string ArchitectureName(DetrArchitecture architecture) => architecture switch
    {
        DetrArchitecture.MomentDetr => "moment_detr",
        DetrArchitecture.QdDetr => "qd_detr",
        DetrArchitecture.CgDetr => "cg_detr",
        _ => architecture.ToString(),
    };

    private static string FindCheckpoint(string checkpointOrFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointOrFolder);
        if (!Directory.Exists(checkpointOrFolder))
            return checkpointOrFolder;
        var candidates = Directory.GetFiles(checkpointOrFolder, "*.ckpt").Concat(Directory.GetFiles(checkpointOrFolder, "*.pth")).Order(StringComparer.Ordinal).ToArray();
        return candidates.Length == 1
            ? candidates[0]
            : throw new CheckpointException(checkpointOrFolder, candidates.Length == 0
                ? "the folder holds no checkpoint (*.ckpt or *.pth)"
                : $"the folder holds several checkpoints ({string.Join(", ", candidates.Select(Path.GetFileName))}); name one");
    }

    private static void RequireComputableFeatures(DetrConfig config, string path)
    {
        if (!ComputableVideoFeatures.Contains(config.VideoFeatures))
            throw new CheckpointException(path,
                $"it was trained on '{config.VideoFeatures}' video features; Vireo computes CLIP ViT-B/32 clip features only ('clip'). " +
                "SlowFast, I3D, ResNet and PANNs/CLAP audio features need their own extractors, which Vireo does not have: use the checkpoint trained on CLIP features (Lighthouse: clip_<model>_<dataset>.ckpt)");
        if (config.TextFeatures != "clip")
            throw new CheckpointException(path, $"it was trained on '{config.TextFeatures}' text features; Vireo computes CLIP token features only ('clip')");
        var expectedVideoDim = ClipWidth + (config.UsesTef ? 2 : 0);
        if (config.VideoDim != expectedVideoDim || config.TextDim != ClipWidth)
            throw new CheckpointException(path,
                $"its feature widths (video {config.VideoDim}, text {config.TextDim}) are not CLIP ViT-B/32's (video {expectedVideoDim} with tef, text {ClipWidth})");
    }

    private static FeatureSpec FeaturesOf(DetrConfig config) => new(
        VideoEncoder: config.VideoFeatures, VideoDim: config.VideoDim - (config.UsesTef ? 2 : 0), ClipSeconds: config.ClipSeconds, Tef: config.UsesTef,
        TextEncoder: config.TextFeatures, TextDim: config.TextDim, MaxTextTokens: config.MaxTextTokens, Normalization: FeatureSpec.L2PlusEpsilon);

    /// <summary>One forward pass on fixed unit-norm inputs: the graph must load, run and answer finite numbers of the right shapes.</summary>
    private static void Probe(TrainedGrounder grounder, string path)
    {
        var spec = grounder.Manifest.Features;
        var clips = grounder.Config.MaxVideoClips;
        const int Tokens = 8;
        var video = new float[clips * spec.VideoDim];
        var text = new float[Tokens * spec.TextDim];
        for (var i = 0; i < video.Length; i++)
            video[i] = MathF.Sin(i * 0.37f);
        for (var i = 0; i < text.Length; i++)
            text[i] = MathF.Cos(i * 0.11f);
        var prediction = grounder.Predict(video, clips, text, Tokens);
        var finite = prediction.Saliency.Length == clips && prediction.Saliency.All(float.IsFinite)
            && prediction.Moments.Count == grounder.Config.Queries && prediction.Moments.All(m => double.IsFinite(m.Start) && double.IsFinite(m.End) && double.IsFinite(m.Score));
        if (!finite)
            throw new ModelFileException(path, "the rebuilt network answers non-finite values or wrong shapes on a probe input; the checkpoint's weights may be damaged");
    }
}
