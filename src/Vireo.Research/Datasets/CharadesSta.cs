using System.Globalization;
using Vireo.Grounding;

namespace Vireo.Research.Datasets;

/// <summary>
/// Charades-STA (Gao et al., 2017): one query a line, <c>VID start end##sentence</c>, times in seconds. The file has no
/// durations: they come from the <c>length</c> column of Charades' own metadata (Charades_v1_train.csv /
/// Charades_v1_test.csv). The original train file has two lines whose start is after the end (LEOL6 8.0 7.0 and
/// IOL8Q 20.9 12.0); they are handled by the <see cref="FaultPolicy"/>. Query ids are 0-based line numbers.
/// </summary>
public static class CharadesSta
{
    /// <summary>Loads an annotation file, with durations from one or more Charades_v1_*.csv files.</summary>
    public static async Task<GroundingDataset> LoadAsync(string annotationPath, IEnumerable<string> metadataCsvPaths,
        DatasetLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadataCsvPaths);
        var lengths = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var csv in metadataCsvPaths)
        {
            foreach (var (id, length) in await ReadLengthsAsync(csv, cancellationToken).ConfigureAwait(false))
                lengths[id] = length;
        }
        return await LoadAsync(annotationPath, lengths, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads an annotation file with durations given by video id.</summary>
    public static async Task<GroundingDataset> LoadAsync(string annotationPath, IReadOnlyDictionary<string, double> durations,
        DatasetLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(durations);
        options ??= DatasetLoadOptions.Default;
        var lines = await AnnotationFiles.ReadLinesAsync(annotationPath, cancellationToken).ConfigureAwait(false);
        var sink = new FaultSink(annotationPath, options.FaultPolicy);
        var queries = new List<GroundingQuery>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i];
            if (string.IsNullOrWhiteSpace(text))
                continue;
            var lineNumber = i + 1;
            var split = text.IndexOf("##", StringComparison.Ordinal);
            if (split < 0)
                throw new DatasetFormatException(annotationPath, lineNumber, "expected 'VID start end##sentence'");
            var head = text[..split].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (head.Length != 3 || !TryParse(head[1], out var start) || !TryParse(head[2], out var end))
                throw new DatasetFormatException(annotationPath, lineNumber, $"expected 'VID start end##sentence', got '{text[..split]}'");
            var video = head[0];
            var where = $"{video}: ";
            if (!durations.TryGetValue(video, out var duration))
            {
                sink.Unrepairable(lineNumber, $"{where}no duration for video {video} in the Charades metadata");
                continue;
            }
            if (sink.Window(start, end, lineNumber, where) is not { } window)
                continue;
            queries.Add(new GroundingQuery((lineNumber - 1).ToString(CultureInfo.InvariantCulture), video, duration, text[(split + 2)..].Trim(), [window])
            {
                Line = lineNumber,
                Source = annotationPath,
            });
        }
        return new GroundingDataset(DatasetNames.CharadesSta, annotationPath, queries, sink.Faults);
    }

    /// <summary>The <c>id</c> → <c>length</c> (seconds) map of a Charades_v1_*.csv file.</summary>
    public static async Task<Dictionary<string, double>> ReadLengthsAsync(string csvPath, CancellationToken cancellationToken = default)
    {
        var (header, records) = await CsvReader.ReadAsync(csvPath, cancellationToken).ConfigureAwait(false);
        var idColumn = CsvReader.Column(header, "id", csvPath);
        var lengthColumn = CsvReader.Column(header, "length", csvPath);
        var lengths = new Dictionary<string, double>(records.Count, StringComparer.Ordinal);
        foreach (var (line, fields) in records)
        {
            if (fields.Length <= Math.Max(idColumn, lengthColumn) || !TryParse(fields[lengthColumn], out var length))
                throw new DatasetFormatException(csvPath, line, $"expected an id and a numeric length in {header.Length} columns");
            lengths[fields[idColumn]] = length;
        }
        return lengths;
    }

    /// <summary>A whitespace-separated list of video ids (2D-TAN's <c>valid_videos.txt</c>).</summary>
    public static async Task<IReadOnlyList<string>> ReadVideoListAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await AnnotationFiles.ReadTextAsync(path, cancellationToken).ConfigureAwait(false);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
