using Vireo.Grounding;

namespace Vireo.Answers;

/// <summary>
/// The moments of one video for a sentence, a line of the QVHighlights / Lighthouse submission form
/// (<c>pred_relevant_windows</c>, <c>pred_saliency_scores</c>), as <c>vireo ground --json</c> prints it (with the file as
/// <c>vid</c>) and <c>/api/ground</c> returns it (with the library's id and the file's name).
/// </summary>
public sealed record GroundAnswer(
    string Query, string? Vid, VideoKey? VideoId, string? Name, double Duration, double? ClipLength, double[][] PredRelevantWindows, double[] PredSaliencyScores);

/// <summary>Grounding results as answers: the best distinct moments (<see cref="DistinctMoments"/>) and the raw saliency.</summary>
public static class GroundAnswers
{
    /// <summary>For the command line: the file by path.</summary>
    public static GroundAnswer Local(string query, string path, double duration, GroundingResult result, int top) =>
        new(query, path, null, null, duration, null, Windows(result, top), AnswerNumbers.Saliency(result.Saliency.ToArray()));

    /// <summary>For a remote client: the library's id and the file's name.</summary>
    public static GroundAnswer Remote(string query, VideoKey videoId, string path, double duration, double clipLength, GroundingResult result, int top) =>
        new(query, null, videoId, Path.GetFileName(path), duration, clipLength, Windows(result, top), AnswerNumbers.Saliency(result.Saliency.ToArray()));

    private static double[][] Windows(GroundingResult result, int top) => AnswerNumbers.Windows(DistinctMoments.Select(result.Moments, top));
}
