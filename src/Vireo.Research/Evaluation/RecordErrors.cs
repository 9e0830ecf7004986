using Vireo.Errors;
using Vireo.Research.Datasets;

namespace Vireo.Research.Evaluation;

/// <summary>
/// Errors about one ground-truth record or one prediction line, in plain words: an input error naming the record's file
/// and line when it was read from one (<see cref="DatasetFormatException"/>), otherwise an input error without a subject.
/// </summary>
internal static class RecordErrors
{
    public static VireoException About(GroundingQuery query, string reason) => At(query.Source, query.Line, reason);

    public static VireoException About(GroundingPrediction prediction, string reason) => At(prediction.Source, prediction.Line, reason);

    /// <summary>An error about a submission as a whole: it names the prediction file (without a line).</summary>
    public static VireoException AboutSubmission(IEnumerable<GroundingPrediction> submission, string reason) =>
        At(submission.Select(p => p.Source).FirstOrDefault(s => s is not null), 0, reason);

    /// <summary>Every scored query needs a ground-truth window: a split released without ground truth cannot be evaluated.</summary>
    public static void RequireGroundTruth(GroundingQuery query)
    {
        if (query.Windows.Count == 0)
        {
            throw About(query, $"qid {query.QueryId} has no ground-truth window (relevant_windows is missing or empty), so it cannot be scored; " +
                "a split released without ground truth, such as QVHighlights' public test file, cannot be evaluated");
        }
    }

    private static VireoException At(string? file, int line, string reason) =>
        file is not null ? new DatasetFormatException(file, line, reason) : new InputException(null, reason);
}
