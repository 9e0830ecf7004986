using System.Text.Json;
using Vireo.Research.Datasets;

namespace Vireo.Research.Evaluation;

/// <summary>
/// Retrieval predictions as ranked lists, JSON Lines <c>{"qid": "ret0", "ranked_videos": ["video9770", ...]}</c>: one
/// caption a line, its videos best first. A line without <c>qid</c> or <c>ranked_videos</c>, or a caption listed twice,
/// is an error naming the file and line.
/// </summary>
public static class RankedListFile
{
    /// <summary>The ranked video ids by caption id.</summary>
    public static async Task<IReadOnlyDictionary<string, string[]>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var lists = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, document) in await AnnotationFiles.ReadJsonLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            using (document)
            {
                var record = document.RootElement;
                var qid = AnnotationFiles.Text(AnnotationFiles.Required(record, "qid", path, line), "qid", path, line);
                var where = $"qid {qid}: ";
                var ranked = AnnotationFiles.Required(record, "ranked_videos", path, line, where);
                if (ranked.ValueKind != JsonValueKind.Array)
                    throw new DatasetFormatException(path, line, $"{where}ranked_videos must be a list of video ids");
                var videos = ranked.EnumerateArray().Select(v => AnnotationFiles.Text(v, "ranked_videos", path, line, where)).ToArray();
                if (!lines.TryAdd(qid, line))
                    throw new DatasetFormatException(path, line, $"qid {qid} was already ranked on line {lines[qid]}");
                lists[qid] = videos;
            }
        }
        return lists;
    }
}
