namespace Vireo.Research.Datasets;

/// <summary>A caption of a text→video retrieval benchmark and the video it describes.</summary>
public sealed record RetrievalCaption(string QueryId, string VideoId, string Sentence);

/// <summary>
/// A text→video retrieval test set: captions, each with its ground-truth video, and the candidate videos in order of
/// first appearance (the column order of a similarity matrix).
/// </summary>
public sealed record RetrievalDataset(string Name, string Path, IReadOnlyList<RetrievalCaption> Captions, IReadOnlyList<string> Videos)
{
    /// <summary>True when every video has exactly one caption and captions come in video order (the similarity matrix is square with the ground truth on its diagonal).</summary>
    public bool IsOneCaptionPerVideo =>
        Captions.Count == Videos.Count && Captions.Select((c, i) => c.VideoId == Videos[i]).All(b => b);

    /// <summary>Builds a dataset from captions; the videos are taken in order of first appearance.</summary>
    public static RetrievalDataset FromCaptions(string name, string path, IReadOnlyList<RetrievalCaption> captions)
    {
        ArgumentNullException.ThrowIfNull(captions);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var videos = new List<string>();
        foreach (var caption in captions)
        {
            if (seen.Add(caption.VideoId))
                videos.Add(caption.VideoId);
        }
        return new RetrievalDataset(name, path, captions, videos);
    }
}

/// <summary>
/// MSR-VTT (Xu et al., 2016) for text→video retrieval. The 1k-A test split (JSFusion, Yu et al. 2018; the one
/// CLIP4Clip reports) is a CSV <c>key,vid_key,video_id,sentence</c>: 1,000 videos with one caption each. The train
/// split lists (<c>MSRVTT_train.9k.csv</c>, <c>MSRVTT_train.7k.csv</c>) have one column, <c>video_id</c>.
/// </summary>
public static class MsrVtt
{
    public static async Task<RetrievalDataset> LoadAsync(string csvPath, CancellationToken cancellationToken = default)
    {
        var (header, records) = await CsvReader.ReadAsync(csvPath, cancellationToken).ConfigureAwait(false);
        var key = CsvReader.Column(header, "key", csvPath);
        var video = CsvReader.Column(header, "video_id", csvPath);
        var sentence = CsvReader.Column(header, "sentence", csvPath);
        var captions = new List<RetrievalCaption>(records.Count);
        foreach (var (line, fields) in records)
        {
            if (fields.Length < header.Length)
                throw new DatasetFormatException(csvPath, line, $"expected {header.Length} columns, got {fields.Length}");
            captions.Add(new RetrievalCaption(fields[key], fields[video], fields[sentence].Trim()));
        }
        return RetrievalDataset.FromCaptions(DatasetNames.MsrVtt, csvPath, captions);
    }

    /// <summary>The <c>video_id</c> column of a split list.</summary>
    public static async Task<IReadOnlyList<string>> LoadVideoListAsync(string csvPath, CancellationToken cancellationToken = default)
    {
        var (header, records) = await CsvReader.ReadAsync(csvPath, cancellationToken).ConfigureAwait(false);
        var column = CsvReader.Column(header, "video_id", csvPath);
        return [.. records.Select(r => r.Fields.Length > column ? r.Fields[column] : throw new DatasetFormatException(csvPath, r.Line, "missing video_id"))];
    }
}
