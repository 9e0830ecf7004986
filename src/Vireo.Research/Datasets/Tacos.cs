using System.Globalization;
using System.Text.Json;

namespace Vireo.Research.Datasets;

/// <summary>
/// TACoS in the 2D-TAN / VSLNet split: a JSON object <c>{"s13-d21.avi": {"timestamps": [[f0, f1], ...],
/// "sentences": [...], "fps": 29.4, "num_frames": N}}</c> with timestamps in FRAMES. Seconds = frame / fps and
/// duration = num_frames / fps. Video ids keep the key as written (with <c>.avi</c>); query ids are the 0-based
/// position of the sentence in the file.
/// </summary>
public static class Tacos
{
    public static async Task<GroundingDataset> LoadAsync(string path, DatasetLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        return await VideoDictionary.LoadAsync(DatasetNames.Tacos, path, options, (video, record) =>
        {
            var where = $"video {video}: ";
            var fps = AnnotationFiles.Number(AnnotationFiles.Required(record, "fps", path, 0, where), "fps", path, 0, where);
            var frames = AnnotationFiles.Number(AnnotationFiles.Required(record, "num_frames", path, 0, where), "num_frames", path, 0, where);
            if (!(fps > 0))
                throw new DatasetFormatException(path, 0, $"{where}fps must be positive, got {fps.ToString(CultureInfo.InvariantCulture)}");
            return (frames / fps, fps);
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The shared reader of <c>{video: {timestamps, sentences, ...}}</c> files (TACoS, ActivityNet Captions).</summary>
internal static class VideoDictionary
{
    public static async Task<GroundingDataset> LoadAsync(string name, string path, DatasetLoadOptions? options,
        Func<string, JsonElement, (double Duration, double UnitsPerSecond)> videoInfo, CancellationToken cancellationToken)
    {
        using var document = AnnotationFiles.ParseJson(path, await AnnotationFiles.ReadTextAsync(path, cancellationToken).ConfigureAwait(false));
        return Read(name, path, document.RootElement, options ?? DatasetLoadOptions.Default, videoInfo);
    }

    /// <summary>
    /// Reads every video's queries; <paramref name="videoInfo"/> returns a video's duration in seconds and the number of
    /// file units per second (fps for TACoS' frames, 1 for seconds): times are divided by it, as the official code
    /// converts frames (frame / fps, not frame × (1 / fps), which differs in the last bit).
    /// </summary>
    public static GroundingDataset Read(string name, string path, JsonElement root, DatasetLoadOptions options,
        Func<string, JsonElement, (double Duration, double UnitsPerSecond)> videoInfo)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new DatasetFormatException(path, 1, "expected a JSON object keyed by video id");
        var sink = new FaultSink(path, options.FaultPolicy);
        var queries = new List<GroundingQuery>();
        var index = 0;
        foreach (var video in root.EnumerateObject())
        {
            var where = $"video {video.Name}: ";
            var (duration, unitsPerSecond) = videoInfo(video.Name, video.Value);
            var times = AnnotationFiles.Pairs(AnnotationFiles.Required(video.Value, "timestamps", path, 0, where), "timestamps", path, 0, where);
            var sentences = AnnotationFiles.Required(video.Value, "sentences", path, 0, where);
            if (sentences.ValueKind != JsonValueKind.Array || sentences.GetArrayLength() != times.Count)
                throw new DatasetFormatException(path, 0, $"{where}{times.Count} timestamps but {(sentences.ValueKind == JsonValueKind.Array ? sentences.GetArrayLength() : 0)} sentences");
            for (var i = 0; i < times.Count; i++, index++)
            {
                var sentenceWhere = $"video {video.Name}, sentence {i}: ";
                if (sink.Window(times[i].A / unitsPerSecond, times[i].B / unitsPerSecond, 0, sentenceWhere) is not { } window)
                    continue;
                var sentence = AnnotationFiles.Text(sentences[i], "sentences", path, 0, sentenceWhere).Trim();
                queries.Add(new GroundingQuery(index.ToString(CultureInfo.InvariantCulture), video.Name, duration, sentence, [window]) { Source = path });
            }
        }
        return new GroundingDataset(name, path, queries, sink.Faults);
    }
}
