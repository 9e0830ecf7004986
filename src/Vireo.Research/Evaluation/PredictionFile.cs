using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vireo.Research.Datasets;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Evaluation;

/// <summary>
/// Prediction files in the QVHighlights submission format (moment_detr's <c>standalone_eval</c>): JSON Lines, one
/// query a line, <c>{"qid": ..., "query": "...", "vid": "...", "pred_relevant_windows": [[start, end, score], ...],
/// "pred_saliency_scores": [...]}</c>. Windows are in seconds, listed in the method's order (the order QVHighlights'
/// R1 and its 10-window cut use). Every line needs <c>pred_relevant_windows</c> (an empty list when the method found no
/// moment) and every window its score, as the official script reads them; a line without them is an error naming the
/// file and line, never a silent miss. Inverted windows ([end, start]) are read as written: every official script
/// scores them with its own arithmetic, and so do the protocols (<see cref="CountInverted"/> counts them for a warning). Files Vireo writes are read by the official script, and any method's file is read
/// by Vireo, for every benchmark (qid = the query ids of <see cref="GroundingQuery"/>).
/// </summary>
public static class PredictionFile
{
    public static async Task<IReadOnlyList<GroundingPrediction>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var predictions = new List<GroundingPrediction>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, document) in await AnnotationFiles.ReadJsonLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            using (document)
            {
                var prediction = Parse(path, line, document.RootElement);
                if (!seen.TryAdd(prediction.QueryId, line))
                    throw new DatasetFormatException(path, line, $"qid {prediction.QueryId} was already predicted on line {seen[prediction.QueryId]}");
                predictions.Add(prediction);
            }
        }
        return predictions;
    }

    private static GroundingPrediction Parse(string path, int line, JsonElement record)
    {
        var qid = AnnotationFiles.Text(AnnotationFiles.Required(record, "qid", path, line), "qid", path, line);
        var where = $"qid {qid}: ";
        var windows = new List<ScoredWindow>();
        if (!record.TryGetProperty("pred_relevant_windows", out var list))
            throw new DatasetFormatException(path, line, $"{where}the line has no pred_relevant_windows (a list of [start, end, score]; [] when no moment was found)");
        if (list.ValueKind != JsonValueKind.Array)
            throw new DatasetFormatException(path, line, $"{where}pred_relevant_windows must be a list of [start, end, score]");
        foreach (var w in list.EnumerateArray())
        {
            if (w.ValueKind == JsonValueKind.Array && w.GetArrayLength() == 2)
                throw new DatasetFormatException(path, line, $"{where}window {w.GetRawText()} has no score: windows are [start, end, score]");
            if (w.ValueKind != JsonValueKind.Array || w.GetArrayLength() != 3)
                throw new DatasetFormatException(path, line, $"{where}window {w.GetRawText()} is not [start, end, score]");
            var start = AnnotationFiles.Number(w[0], "pred_relevant_windows", path, line, where);
            var end = AnnotationFiles.Number(w[1], "pred_relevant_windows", path, line, where);
            var score = AnnotationFiles.Number(w[2], "pred_relevant_windows", path, line, where);
            if (!double.IsFinite(start) || !double.IsFinite(end))
                throw new DatasetFormatException(path, line, $"{where}window {w.GetRawText()} has a start or end that is not a finite number");
            if (double.IsNaN(score))
                throw new DatasetFormatException(path, line, $"{where}window {w.GetRawText()} has a score that is not a number");
            windows.Add(new ScoredWindow(start, end, score));
        }
        List<double>? saliency = null;
        if (record.TryGetProperty("pred_saliency_scores", out var scores) && scores.ValueKind != JsonValueKind.Null)
        {
            if (scores.ValueKind != JsonValueKind.Array)
                throw new DatasetFormatException(path, line, $"{where}pred_saliency_scores must be a list of numbers");
            saliency = [.. scores.EnumerateArray().Select(s => AnnotationFiles.Number(s, "pred_saliency_scores", path, line, where))];
        }
        return new GroundingPrediction(qid, windows)
        {
            Query = record.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null,
            VideoId = record.TryGetProperty("vid", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null,
            SaliencyScores = saliency,
            Line = line,
            Source = path,
        };
    }

    /// <summary>The number of windows whose start is after their end, and the number of lines that have one.</summary>
    public static (int Windows, int Lines) CountInverted(IEnumerable<GroundingPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        int windows = 0, lines = 0;
        foreach (var prediction in predictions)
        {
            var before = windows;
            foreach (var w in prediction.Windows)
            {
                if (w.Start > w.End)
                    windows++;
            }
            if (windows > before)
                lines++;
        }
        return (windows, lines);
    }

    /// <summary>Writes predictions as JSON Lines. Numeric query ids are written as numbers (as QVHighlights' qid), others as strings.</summary>
    public static async Task WriteAsync(string path, IEnumerable<GroundingPrediction> predictions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var text = new StringBuilder();
        foreach (var p in predictions)
            text.Append(Serialize(p)).Append('\n');
        await File.WriteAllTextAsync(path, text.ToString(), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One prediction as a JSON line (without the line break).</summary>
    public static string Serialize(GroundingPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (long.TryParse(prediction.QueryId, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric))
                json.WriteNumber("qid", numeric);
            else
                json.WriteString("qid", prediction.QueryId);
            if (prediction.Query is not null)
                json.WriteString("query", prediction.Query);
            if (prediction.VideoId is not null)
                json.WriteString("vid", prediction.VideoId);
            json.WriteStartArray("pred_relevant_windows");
            foreach (var w in prediction.Windows)
            {
                json.WriteStartArray();
                json.WriteNumberValue(w.Start);
                json.WriteNumberValue(w.End);
                json.WriteNumberValue(w.Score);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            if (prediction.SaliencyScores is { } saliency)
            {
                json.WriteStartArray("pred_saliency_scores");
                foreach (var s in saliency)
                    json.WriteNumberValue(s);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
