using System.Globalization;
using Vireo.Research.Datasets;
using Vireo.Research.Features;

namespace Vireo.Research.Evaluation;

/// <summary>What a grounding method receives on precomputed features: the query, its video's clip features and its text features.</summary>
/// <param name="Query">The query (sentence, video id, duration; ground truth is not for the method to read).</param>
/// <param name="ClipFeatures">The video's clip features [clips, dim].</param>
/// <param name="ClipLength">Seconds per clip (2 for QVHighlights' moment_detr features).</param>
/// <param name="TextFeatures">The sentence's features: [tokens, dim] or [dim].</param>
public sealed record GroundingInput(GroundingQuery Query, FeatureArray ClipFeatures, double ClipLength, FeatureArray TextFeatures)
{
    /// <summary>Where the clip features were read (a file), or null; errors about them name it.</summary>
    public string? ClipFeaturesSource { get; init; }

    /// <summary>Where the text features were read (a file), or null; errors about them name it.</summary>
    public string? TextFeaturesSource { get; init; }
}

/// <summary>
/// A grounding method that works on precomputed features (Vireo's zero-shot grounding, or anyone's): from clip
/// features and text features to scored windows and, optionally, a saliency score per clip.
/// </summary>
public interface IMomentGrounder
{
    ValueTask<GroundingPrediction> GroundAsync(GroundingInput input, CancellationToken cancellationToken = default);
}

/// <summary>Features by id (a video id or a query id).</summary>
public interface IFeatureSource
{
    Task<FeatureArray> ReadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Where the features of <paramref name="id"/> are read (the file errors about them name), or null.</summary>
    string? Locate(string id) => null;
}

/// <summary>
/// One .npz per id in a folder, as moment_detr / Lighthouse release them: <c>{vid}.npz</c> with key
/// <c>features</c> for clips, <c>qid{qid}.npz</c> with <c>last_hidden_state</c> or <c>pooler_output</c> for text.
/// <paramref name="fileNameFormat"/> places the id in the file name (<c>{0}.npz</c>, <c>qid{0}.npz</c>).
/// </summary>
public sealed class NpzFeatureFolder(string folder, string fileNameFormat = "{0}.npz", string key = NpzFile.FeaturesKey) : IFeatureSource
{
    public Task<FeatureArray> ReadAsync(string id, CancellationToken cancellationToken = default) =>
        NpzFile.ReadAsync(Locate(id), key, cancellationToken);

    public string Locate(string id) => Path.Combine(folder, string.Format(CultureInfo.InvariantCulture, fileNameFormat, id));
}

/// <summary>Clip features from an HDF5 file keyed by video id (2D-TAN / VSLNet layout).</summary>
public sealed class Hdf5FeatureSource(Hdf5FeatureFile file, string? datasetName = null) : IFeatureSource
{
    public Task<FeatureArray> ReadAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(file.Read(id, datasetName));

    public string? Locate(string id) => file.Path;
}

/// <summary>
/// Runs a grounding method over a benchmark's queries on precomputed features and collects its predictions, ready
/// for <see cref="PredictionFile"/>, <see cref="GroundingMetrics"/> or <see cref="QvHighlightsEvaluator"/>.
/// </summary>
public static class PrecomputedGrounding
{
    public static async Task<IReadOnlyList<GroundingPrediction>> RunAsync(IReadOnlyList<GroundingQuery> queries, IFeatureSource videos,
        IFeatureSource texts, IMomentGrounder grounder, double clipLength, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(grounder);
        var predictions = new List<GroundingPrediction>(queries.Count);
        foreach (var query in queries)
        {
            var clips = await videos.ReadAsync(query.VideoId, cancellationToken).ConfigureAwait(false);
            var text = await texts.ReadAsync(query.QueryId, cancellationToken).ConfigureAwait(false);
            var input = new GroundingInput(query, clips, clipLength, text)
            {
                ClipFeaturesSource = videos.Locate(query.VideoId),
                TextFeaturesSource = texts.Locate(query.QueryId),
            };
            var prediction = await grounder.GroundAsync(input, cancellationToken).ConfigureAwait(false);
            predictions.Add(prediction with { QueryId = query.QueryId, VideoId = prediction.VideoId ?? query.VideoId, Query = prediction.Query ?? query.Sentence });
        }
        return predictions;
    }
}
