using System.Globalization;
using System.Text.Json;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Datasets;

/// <summary>
/// DiDeMo (Hendricks et al., 2017): a JSON list of <c>{"video", "description", "num_segments", "times":
/// [[s, e], ...], "annotation_id"}</c>. Times are inclusive indices of 5-second segments (0..5: a video is cut into
/// at most six segments, so there are 21 possible moments), one pair per annotator (usually four). Windows convert to
/// seconds as [5·s, 5·(e+1)]; the duration is 5·num_segments (the segment grid; the real video may end inside the
/// last segment). Query ids are <c>annotation_id</c>.
/// </summary>
public static class DiDeMo
{
    /// <summary>Length of a DiDeMo segment in seconds.</summary>
    public const double SegmentSeconds = 5;

    /// <summary>Segments of the longest video.</summary>
    public const int MaxSegments = 6;

    /// <summary>The 21 moments [s, e] with 0 ≤ s ≤ e ≤ 5, in segment indices.</summary>
    public static IReadOnlyList<(int Start, int End)> AllMoments { get; } =
        [.. from s in Enumerable.Range(0, MaxSegments) from e in Enumerable.Range(s, MaxSegments - s) select (s, e)];

    /// <summary>The window in seconds of the inclusive segment range [start, end].</summary>
    public static TemporalWindow ToSeconds(int start, int end) => new(start * SegmentSeconds, (end + 1) * SegmentSeconds);

    /// <summary>The inclusive segment range of a window on the 5-second grid, or null when the window is off the grid or inverted.</summary>
    public static (int Start, int End)? ToSegments(double start, double end) =>
        ToGridPair(start, end) is { } pair && pair.Start <= pair.End ? pair : null;

    /// <summary>
    /// The segment pair (start / 5, end / 5 − 1) of a window whose two ends lie on the 5-second grid (within 1e-6
    /// segment), or null when an end is off it. Zero-length and inverted windows give the pair their ends give
    /// ([10, 10] is (2, 1)), which DiDeMo's evaluation scores like any other pair.
    /// </summary>
    public static (int Start, int End)? ToGridPair(double start, double end)
    {
        var s = start / SegmentSeconds;
        var e = end / SegmentSeconds - 1;
        var rs = Math.Round(s);
        var re = Math.Round(e);
        if (!(Math.Abs(s - rs) <= 1e-6) || !(Math.Abs(e - re) <= 1e-6) || Math.Abs(rs) > 1e6 || Math.Abs(re) > 1e6)
            return null;
        return ((int)rs, (int)re);
    }

    public static async Task<GroundingDataset> LoadAsync(string path, DatasetLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DatasetLoadOptions.Default;
        using var document = AnnotationFiles.ParseJson(path, await AnnotationFiles.ReadTextAsync(path, cancellationToken).ConfigureAwait(false));
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new DatasetFormatException(path, 1, "expected a JSON list of annotations");
        var sink = new FaultSink(path, options.FaultPolicy);
        var queries = new List<GroundingQuery>();
        var index = 0;
        foreach (var record in document.RootElement.EnumerateArray())
        {
            var where = $"annotation #{index++}: ";
            var id = AnnotationFiles.Text(AnnotationFiles.Required(record, "annotation_id", path, 0, where), "annotation_id", path, 0, where);
            where = $"annotation {id}: ";
            var video = AnnotationFiles.Text(AnnotationFiles.Required(record, "video", path, 0, where), "video", path, 0, where);
            var segments = AnnotationFiles.Number(AnnotationFiles.Required(record, "num_segments", path, 0, where), "num_segments", path, 0, where);
            var sentence = AnnotationFiles.Text(AnnotationFiles.Required(record, "description", path, 0, where), "description", path, 0, where);
            var times = AnnotationFiles.Pairs(AnnotationFiles.Required(record, "times", path, 0, where), "times", path, 0, where);
            var windows = new List<TemporalWindow>(times.Count);
            var skip = false;
            foreach (var (s, e) in times)
            {
                if (s != Math.Floor(s) || e != Math.Floor(e) || s < 0 || Math.Max(s, e) >= MaxSegments)
                {
                    sink.Unrepairable(0, string.Create(CultureInfo.InvariantCulture, $"{where}segment pair [{s}, {e}] is not in 0..{MaxSegments - 1}"));
                    skip = true;
                    break;
                }
                var seconds = sink.Window(s, e, 0, where);
                if (seconds is not { } w)
                {
                    skip = true;
                    break;
                }
                windows.Add(ToSeconds((int)w.Start, (int)w.End));
            }
            if (skip)
                continue;
            queries.Add(new GroundingQuery(id, video, segments * SegmentSeconds, sentence.Trim(), windows) { Source = path });
        }
        return new GroundingDataset(DatasetNames.DiDeMo, path, queries, sink.Faults);
    }

    /// <summary>The YFCC100M id → hash map of <c>yfcc100m_hash.txt</c> (<c>id&lt;TAB&gt;hash</c> a line), used to download the videos.</summary>
    public static async Task<Dictionary<string, string>> ReadHashesAsync(string path, CancellationToken cancellationToken = default)
    {
        var lines = await AnnotationFiles.ReadLinesAsync(path, cancellationToken).ConfigureAwait(false);
        var map = new Dictionary<string, string>(lines.Length, StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            var parts = lines[i].Split('\t', StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
                throw new DatasetFormatException(path, i + 1, "expected 'id<TAB>hash'");
            map[parts[0]] = parts[1];
        }
        return map;
    }
}
