using Vireo.Errors;

namespace Vireo.Research.Datasets;

/// <summary>
/// Where each benchmark's files lie in a data folder laid out as the public releases name them (the layout of
/// <c>../shared/data</c>), and loading a benchmark's split, or any annotation file of a known format, by name.
/// </summary>
/// <remarks>
/// Layout: <c>charades_sta/charades_sta_{train,test}.txt</c> with <c>Charades_v1_{train,test}.csv</c>;
/// <c>tacos/{train,val,test}.json</c>; <c>activitynet_captions/{train,val_1,val_2}.json</c> (split "val" is val_1 and
/// "test" is val_2, 2D-TAN's convention); <c>didemo/{train,val,test}_data.json</c>;
/// <c>qvhighlights/highlight_{train,val}_release.jsonl</c> and, for "test", <c>highlight_test_with_gt.jsonl</c> when
/// present (else the release without ground truth); <c>msrvtt/MSRVTT_JSFUSION_test.csv</c>.
/// </remarks>
public static class DatasetCatalog
{
    /// <summary>The data folder: <c>VIREO_DATA</c> when set, else <c>../shared/data</c> from the current directory.</summary>
    public static string DefaultRoot =>
        Environment.GetEnvironmentVariable("VIREO_DATA") is { Length: > 0 } root ? root : Path.GetFullPath(Path.Combine("..", "shared", "data"));

    /// <summary>
    /// The annotation file of a benchmark's split under <paramref name="root"/>. An unknown benchmark or split is a
    /// <see cref="UsageException"/>; a data folder, or a benchmark folder inside it, that does not exist is an input
    /// error naming that folder (not a file inside it).
    /// </summary>
    public static string AnnotationPath(string dataset, string split, string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var name = Canonical(dataset);
        split = split.Trim().ToLowerInvariant();
        string? relative = (name, split) switch
        {
            (DatasetNames.CharadesSta, "train" or "test") => $"charades_sta/charades_sta_{split}.txt",
            (DatasetNames.Tacos, "train" or "val" or "test") => $"tacos/{split}.json",
            (DatasetNames.ActivityNetCaptions, _) when ActivityNetCaptions.Splits.TryGetValue(split, out var file) => $"activitynet_captions/{file}",
            (DatasetNames.DiDeMo, "train" or "val" or "test") => $"didemo/{split}_data.json",
            (DatasetNames.QvHighlights, "train" or "val") => $"qvhighlights/highlight_{split}_release.jsonl",
            (DatasetNames.QvHighlights, "test") => File.Exists(Path.Combine(root, "qvhighlights/highlight_test_with_gt.jsonl"))
                ? "qvhighlights/highlight_test_with_gt.jsonl"
                : "qvhighlights/highlight_test_release.jsonl",
            (DatasetNames.MsrVtt, "test") => "msrvtt/MSRVTT_JSFUSION_test.csv",
            _ => null,
        };
        if (relative is null)
            throw new UsageException($"{name} has no split '{split}'");
        if (!Directory.Exists(root))
            throw new InputException(root, "the data folder does not exist (give --data-root or set VIREO_DATA to a folder laid out like ../shared/data)");
        var folder = Path.Combine(root, relative[..relative.IndexOf('/', StringComparison.Ordinal)]);
        if (!Directory.Exists(folder))
            throw new InputException(folder, $"the {name} folder does not exist in the data folder {root}");
        return Path.Combine(root, relative);
    }

    /// <summary>Loads a grounding benchmark's split from <paramref name="root"/>.</summary>
    public static Task<GroundingDataset> LoadGroundingAsync(string dataset, string split, string root,
        DatasetLoadOptions? options = null, CancellationToken cancellationToken = default) =>
        LoadGroundingFileAsync(dataset, AnnotationPath(dataset, split, root), options, null, cancellationToken);

    /// <summary>
    /// Loads an annotation file in <paramref name="dataset"/>'s format. Charades-STA durations come from the
    /// Charades_v1_*.csv files beside the annotation file unless <paramref name="charadesMetadata"/> names them.
    /// </summary>
    public static Task<GroundingDataset> LoadGroundingFileAsync(string dataset, string path, DatasetLoadOptions? options = null,
        IReadOnlyList<string>? charadesMetadata = null, CancellationToken cancellationToken = default) => Canonical(dataset) switch
    {
        DatasetNames.CharadesSta => CharadesSta.LoadAsync(path, charadesMetadata ?? CharadesMetadataBeside(path), options, cancellationToken),
        DatasetNames.Tacos => Tacos.LoadAsync(path, options, cancellationToken),
        DatasetNames.ActivityNetCaptions => ActivityNetCaptions.LoadAsync(path, options, cancellationToken),
        DatasetNames.DiDeMo => DiDeMo.LoadAsync(path, options, cancellationToken),
        DatasetNames.QvHighlights => QvHighlights.LoadAsync(path, options, cancellationToken),
        var other => throw new UsageException($"{other} is not a grounding benchmark"),
    };

    /// <summary>The canonical benchmark name (<see cref="DatasetNames"/>) or an error listing the known ones.</summary>
    public static string Canonical(string dataset) =>
        DatasetNames.Normalize(dataset) ?? throw new UsageException(
            $"unknown dataset '{dataset}' (known: {string.Join(", ", DatasetNames.Grounding)}, {DatasetNames.MsrVtt})");

    private static string[] CharadesMetadataBeside(string annotationPath)
    {
        if (!File.Exists(annotationPath))
            throw new DatasetFormatException(annotationPath, 0, "the file does not exist");
        var folder = Path.GetDirectoryName(Path.GetFullPath(annotationPath))!;
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "Charades_v1_*.csv") : [];
        if (files.Length == 0)
            throw new DatasetFormatException(annotationPath, 0, "Charades-STA needs video durations: no Charades_v1_*.csv beside the file");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
