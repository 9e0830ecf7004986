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
            var predicted = p.SaliencyScores ?? throw RecordErrors.About(p,
                $"qid {p.QueryId} has no pred_saliency_scores while other lines have them: give saliency scores on every line or on none");
            var saliency = query.Saliency ?? throw RecordErrors.About(query,
                $"qid {p.QueryId} has no saliency ground truth (relevant_clip_ids and saliency_scores), so its pred_saliency_scores cannot be scored");
            var clips = SaliencyAnnotation.ClipCount(query.Duration);
            if (saliency.ClipIds.FirstOrDefault(c => c < 0 || c >= clips, -1) is var outside and >= 0)
            {
                throw RecordErrors.About(query,
                    $"qid {p.QueryId}: relevant clip id {outside} is outside the video, which has {clips} clips of 2 seconds (duration {query.Duration} s)");
            }
            var ratings = saliency.ToFullVideo(clips);
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
