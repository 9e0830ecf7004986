using System.Globalization;

namespace Vireo.Research.Datasets;

/// <summary>
/// ActivityNet Captions (Krishna et al., 2017): <c>{"v_id": {"duration": s, "timestamps": [[s, e], ...],
/// "sentences": [...]}}</c> in seconds. Split convention (<see cref="Splits"/>): there is no public test set;
/// 2D-TAN, VSLNet and most grounding papers train on train, validate on val_1 and report test numbers on val_2
/// (17,031 queries; VSLNet's code reports its test numbers on val_1 instead). Some windows reach past the stated
/// duration; the loader keeps them as annotated and the 2D-TAN and VSLNet protocols clip them as their code does
/// (<see cref="Evaluation.OfficialGroundTruth"/>). Query ids are the 0-based position of the sentence in the file.
/// </summary>
public static class ActivityNetCaptions
{
    /// <summary>The file of each conventional split (2D-TAN: val_1 is "val", val_2 is "test").</summary>
    public static IReadOnlyDictionary<string, string> Splits { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["train"] = "train.json",
        ["val"] = "val_1.json",
        ["val_1"] = "val_1.json",
        ["test"] = "val_2.json",
        ["val_2"] = "val_2.json",
    };

    public static async Task<GroundingDataset> LoadAsync(string path, DatasetLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        return await VideoDictionary.LoadAsync(DatasetNames.ActivityNetCaptions, path, options, (video, record) =>
        {
            var where = $"video {video}: ";
            var duration = AnnotationFiles.Number(AnnotationFiles.Required(record, "duration", path, 0, where), "duration", path, 0, where);
            if (!(duration > 0))
                throw new DatasetFormatException(path, 0, $"{where}duration must be positive, got {duration.ToString(CultureInfo.InvariantCulture)}");
            return (duration, 1.0);
        }, cancellationToken).ConfigureAwait(false);
    }
}
