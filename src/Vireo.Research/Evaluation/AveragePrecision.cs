namespace Vireo.Research.Evaluation;

/// <summary>The two average precisions of moment_detr's <c>standalone_eval</c>.</summary>
public static class AveragePrecision
{
    /// <summary>
    /// VOC all-point interpolated AP (VOCdevkit 2011, moment_detr's <c>interpolated_precision_recall</c>): precision
    /// and recall of the ranked hits, precision made monotone from the end, summed over the recall steps.
    /// <paramref name="truePositive"/> flags each ranked prediction; <paramref name="positives"/> is the number of
    /// ground-truth items.
    /// </summary>
    public static double Interpolated(ReadOnlySpan<bool> truePositive, int positives)
    {
        if (truePositive.Length == 0 || positives <= 0)
            return 0;
        var n = truePositive.Length;
        Span<double> precision = n <= 256 ? stackalloc double[n + 2] : new double[n + 2];
        Span<double> recall = n <= 256 ? stackalloc double[n + 2] : new double[n + 2];
        precision[0] = 0;
        recall[0] = 0;
        int tp = 0, fp = 0;
        for (var i = 0; i < n; i++)
        {
            if (truePositive[i])
                tp++;
            else
                fp++;
            precision[i + 1] = (double)tp / (tp + fp);
            recall[i + 1] = (double)tp / positives;
        }
        precision[n + 1] = 0;
        recall[n + 1] = 1;
        for (var i = n; i >= 0; i--)
            precision[i] = Math.Max(precision[i], precision[i + 1]);
        double ap = 0;
        for (var i = 0; i <= n; i++)
        {
            if (recall[i + 1] != recall[i])
                ap += (recall[i + 1] - recall[i]) * precision[i + 1];
        }
        return ap;
    }

    /// <summary>
    /// The saliency AP of moment_detr's <c>get_ap</c> (after video2gif): 1 when every clip is relevant, 0 when none is;
    /// otherwise the mean, over the score thresholds at which new relevant clips are recalled, of the highest precision
    /// reached at that recall or more. Tied scores form one threshold (sklearn's <c>precision_recall_curve</c>), so a
    /// tie block counts once however many relevant clips it recalls.
    /// </summary>
    public static double Saliency(ReadOnlySpan<bool> relevant, ReadOnlySpan<double> scores)
    {
        if (relevant.Length != scores.Length)
            throw new ArgumentException("one score per clip is needed", nameof(scores));
        var n = relevant.Length;
        var positives = 0;
        foreach (var r in relevant)
            positives += r ? 1 : 0;
        if (positives == 0)
            return 0;
        if (positives == n)
            return 1;
        var order = new int[n];
        for (var i = 0; i < n; i++)
            order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        Array.Reverse(order);
        // Points at each distinct threshold, from the highest score down, until every relevant clip is recalled.
        var precisions = new List<double>();
        var newRecall = new List<bool>();
        int tp = 0, fp = 0, lastTp = 0;
        for (var i = 0; i < n && tp < positives;)
        {
            var value = scores[order[i]];
            while (i < n && scores[order[i]] == value)
            {
                if (relevant[order[i]])
                    tp++;
                else
                    fp++;
                i++;
            }
            precisions.Add((double)tp / (tp + fp));
            newRecall.Add(tp > lastTp);
            lastTp = tp;
        }
        double sum = 0;
        var counted = 0;
        var best = 0.0;
        for (var k = precisions.Count - 1; k >= 0; k--)
        {
            best = Math.Max(best, precisions[k]);
            if (newRecall[k])
            {
                sum += best;
                counted++;
            }
        }
        return sum / counted;
    }
}
