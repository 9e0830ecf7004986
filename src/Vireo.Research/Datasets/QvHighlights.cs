using System.Text.Json;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Datasets;

/// <summary>
/// QVHighlights (Lei et al., 2021), moment_detr's JSON Lines: <c>{"qid", "query", "duration", "vid",
/// "relevant_windows": [[s, e], ...], "relevant_clip_ids": [...], "saliency_scores": [[r1, r2, r3], ...]}</c>, windows in
/// seconds, clips of 2 seconds, three raters scoring each relevant clip 0..4. The public test file has no ground truth
/// (no windows, no saliency). Query ids are <c>qid</c>.
/// </summary>
public static class QvHighlights
{
    public static async Task<GroundingDataset> LoadAsync(string path, DatasetLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DatasetLoadOptions.Default;
        var sink = new FaultSink(path, options.FaultPolicy);
        var queries = new List<GroundingQuery>();
        foreach (var (line, document) in await AnnotationFiles.ReadJsonLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            using (document)
            {
                if (Read(path, line, document.RootElement, sink) is { } query)
                    queries.Add(query);
            }
        }
        return new GroundingDataset(DatasetNames.QvHighlights, path, queries, sink.Faults);
    }

    private static GroundingQuery? Read(string path, int line, JsonElement record, FaultSink sink)
    {
        var qid = AnnotationFiles.Text(AnnotationFiles.Required(record, "qid", path, line), "qid", path, line);
        var where = $"qid {qid}: ";
        var query = AnnotationFiles.Text(AnnotationFiles.Required(record, "query", path, line, where), "query", path, line, where);
        var video = AnnotationFiles.Text(AnnotationFiles.Required(record, "vid", path, line, where), "vid", path, line, where);
        var duration = AnnotationFiles.Number(AnnotationFiles.Required(record, "duration", path, line, where), "duration", path, line, where);
        var windows = new List<TemporalWindow>();
        if (record.TryGetProperty("relevant_windows", out var relevant))
        {
            foreach (var (s, e) in AnnotationFiles.Pairs(relevant, "relevant_windows", path, line, where))
            {
                if (sink.Window(s, e, line, where) is not { } window)
                    return null;
                windows.Add(window);
            }
        }
        return new GroundingQuery(qid, video, duration, query, windows) { Line = line, Source = path, Saliency = ReadSaliency(path, line, record, where) };
    }

    private static SaliencyAnnotation? ReadSaliency(string path, int line, JsonElement record, string where)
    {
        if (!record.TryGetProperty("relevant_clip_ids", out var ids) || !record.TryGetProperty("saliency_scores", out var scores))
            return null;
        if (ids.ValueKind != JsonValueKind.Array || scores.ValueKind != JsonValueKind.Array || ids.GetArrayLength() != scores.GetArrayLength())
            throw new DatasetFormatException(path, line, $"{where}relevant_clip_ids and saliency_scores must be lists of the same length");
        var clipIds = new List<int>(ids.GetArrayLength());
        var ratings = new List<int[]>(ids.GetArrayLength());
        var i = 0;
        foreach (var id in ids.EnumerateArray())
        {
            var row = scores[i++];
            if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out var clip) || clip < 0 || row.ValueKind != JsonValueKind.Array)
                throw new DatasetFormatException(path, line, $"{where}bad clip id {id.GetRawText()} or scores {row.GetRawText()}");
            var r = new int[row.GetArrayLength()];
            for (var k = 0; k < r.Length; k++)
                r[k] = (int)AnnotationFiles.Number(row[k], "saliency_scores", path, line, where);
            if (ratings.Count > 0 && r.Length != ratings[0].Length)
                throw new DatasetFormatException(path, line, $"{where}every clip needs the same number of ratings");
            clipIds.Add(clip);
            ratings.Add(r);
        }
        return new SaliencyAnnotation(clipIds, ratings);
    }

    /// <summary>The clip index of time <paramref name="seconds"/> (2-second clips).</summary>
    public static int ClipAt(double seconds) => (int)Math.Floor(seconds / SaliencyAnnotation.ClipLength);
}
