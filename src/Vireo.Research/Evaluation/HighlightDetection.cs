using Vireo.Research.Datasets;

namespace Vireo.Research.Evaluation;

/// <summary>QVHighlights highlight detection (HL-mAP, HL-Hit1) at one minimum rating; see <see cref="QvHighlightsEvaluator"/>.</summary>
internal static class HighlightDetection
{
    public static HighlightScores Evaluate(IReadOnlyList<GroundingQuery> groundTruth, IReadOnlyList<GroundingPrediction> submission, int minRating)
    {
        var truth = groundTruth.ToDictionary(q => q.QueryId, StringComparer.Ordinal);
        double apSum = 0, hitSum = 0;
        var apCount = 0;
        foreach (var p in submission)
        {
            var query = truth[p.QueryId];
            var predicted = p.SaliencyScores ?? throw new ArgumentException($"qid {p.QueryId} has no pred_saliency_scores while others have", nameof(submission));
            var saliency = query.Saliency ?? throw new ArgumentException($"qid {p.QueryId} has no saliency ground truth", nameof(groundTruth));
            var clips = SaliencyAnnotation.ClipCount(query.Duration);
            int[,] ratings;
            try
            {
                ratings = saliency.ToFullVideo(clips);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentException($"qid {p.QueryId}: {e.Message}", nameof(groundTruth), e);
            }
            var raters = ratings.GetLength(1);

            // Hit@1: the first clip of highest predicted score, relevant to any rater.
            var top = 0;
            for (var i = 1; i < predicted.Count; i++)
            {
                if (predicted[i] > predicted[top])
                    top = i;
            }
            if (predicted.Count > 0 && top < clips)
            {
                for (var r = 0; r < raters; r++)
                {
                    if (ratings[top, r] >= minRating)
                    {
                        hitSum++;
                        break;
                    }
                }
            }

            // AP per rater, predictions cut or zero-padded to the video's clips.
            var scores = new double[clips];
            for (var i = 0; i < Math.Min(clips, predicted.Count); i++)
                scores[i] = predicted[i];
            var relevant = new bool[clips];
            for (var r = 0; r < raters; r++)
            {
                for (var c = 0; c < clips; c++)
                    relevant[c] = ratings[c, r] >= minRating;
                apSum += AveragePrecision.Saliency(relevant, scores);
                apCount++;
            }
        }
        return new HighlightScores(
            OfficialRounding.Round2(100 * apSum / apCount),
            OfficialRounding.Round2(100 * hitSum / submission.Count));
    }
}
