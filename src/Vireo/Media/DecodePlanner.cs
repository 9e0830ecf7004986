using System.Globalization;
using System.Text;

namespace Vireo.Media;

/// <summary>
/// Turns a sampling request into FFmpeg runs. Dense samples are taken in one continuous pass; samples far
/// apart are reached by seeking (FFmpeg then decodes only from the key frame before each one), grouped so
/// that times close together share a run. The thresholds come from docs/media-measurements.md.
/// </summary>
internal static class DecodePlanner
{
    public static IReadOnlyList<DecodeSegment> Plan(FrameSampling sampling, double duration, FrameSamplerOptions options, double frameRate = 0)
    {
        switch (sampling)
        {
            case RateSampling rate when !UseSeeking(rate, options):
                // Skipping the frames nothing depends on is asked for; it pays only when most frames are not wanted.
                var sparse = frameRate <= 0 || rate.FramesPerSecond * 2 <= frameRate;
                var skip = options.SkipNonReferenceFrames && sparse;
                return [DecodeSegment.At(0, null, RateExpression(rate.FramesPerSecond), skip) with
                {
                    RelayRate = options.SkipUnsampledPictures && sparse && !skip ? rate.FramesPerSecond : null,
                }];
            case RateSampling rate:
                // Auto seeks from SeekGapSeconds; Seek seeks for every sample, as it does for timestamps.
                return PlanTimes(RateTimes(rate, duration), options.Strategy == DecodeStrategy.Seek ? 0 : options.SeekGapSeconds);
            case TimestampSampling times:
                var inRange = times.Timestamps.Where(t => t < duration).ToList();
                var gap = options.Strategy switch
                {
                    DecodeStrategy.Continuous => double.PositiveInfinity,
                    DecodeStrategy.Seek => 0,
                    _ => options.SeekGapSeconds,
                };
                return PlanTimes(inRange, gap);
            default:
                throw new ArgumentException("unknown sampling " + sampling.GetType().Name, nameof(sampling));
        }
    }

    /// <summary>The sample times k/R that lie inside the video.</summary>
    internal static List<double> RateTimes(RateSampling rate, double duration)
    {
        var count = Math.Max(1, (int)Math.Ceiling(duration * rate.FramesPerSecond - 1e-9));
        var times = new List<double>(count);
        for (var k = 0; k < count; k++)
            times.Add(k / rate.FramesPerSecond);
        return times;
    }

    /// <summary>The frame that opens bucket k: the first one whose time t has floor(t*R) above the previous pick's.</summary>
    internal static string RateExpression(double framesPerSecond)
    {
        var r = Number(framesPerSecond);
        return $"isnan(prev_selected_t)+gt(floor(t*{r}),floor(prev_selected_t*{r}))";
    }

    /// <summary>Keeps the first frame at or after each time (relative to the seek point).</summary>
    internal static string TimesExpression(IReadOnlyList<double> relativeTimes)
    {
        var builder = new StringBuilder("gt(");
        for (var i = 0; i < relativeTimes.Count; i++)
        {
            if (i > 0)
                builder.Append('+');
            var r = Number(relativeTimes[i]);
            builder.Append("gte(t,").Append(r).Append(")*(isnan(prev_t)+lt(prev_t,").Append(r).Append("))");
        }
        return builder.Append(",0)").ToString();
    }

    private static bool UseSeeking(RateSampling rate, FrameSamplerOptions options) => options.Strategy switch
    {
        DecodeStrategy.Continuous => false,
        DecodeStrategy.Seek => true,
        _ => rate.Interval >= options.SeekGapSeconds,
    };

    private static List<DecodeSegment> PlanTimes(List<double> times, double seekGap)
    {
        var segments = new List<DecodeSegment>();
        var start = 0;
        while (start < times.Count)
        {
            var end = start + 1;
            while (end < times.Count && end - start < DecodeTuning.MaxTimesPerSegment && times[end] - times[end - 1] < seekGap)
                end++;
            var seekTo = times[start];
            var relative = new List<double>(end - start);
            for (var i = start; i < end; i++)
                relative.Add(times[i] - seekTo);
            segments.Add(DecodeSegment.At(seekTo, relative[^1] + DecodeTuning.SegmentTailSeconds, TimesExpression(relative)));
            start = end;
        }
        return segments;
    }

    private static string Number(double value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
}
