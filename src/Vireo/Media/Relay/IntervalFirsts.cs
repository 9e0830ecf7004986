namespace Vireo.Media.Relay;

/// <summary>
/// Which packets may hold the frame that rate sampling picks: the sampler keeps the first frame (in presentation order)
/// of each interval [k/R, (k+1)/R). Packets arrive in decoding order, so a packet may be that frame only while no frame
/// of its interval with an earlier time has been seen; one that comes after an earlier-timed frame of its interval
/// never is. A time within a hair of an interval's edge counts for both intervals, so that FFmpeg's own arithmetic on
/// the same timestamps cannot put the picked frame elsewhere.
/// </summary>
internal sealed class IntervalFirsts(double framesPerSecond)
{
    private const double Edge = 1e-7;
    private readonly Dictionary<long, double> _earliest = [];

    /// <summary>Records a frame at <paramref name="seconds"/>; true when it is (so far) the earliest of its interval.</summary>
    public bool Observe(double seconds)
    {
        var position = seconds * framesPerSecond;
        var first = false;
        for (var k = (long)Math.Floor(position - Edge); k <= (long)Math.Floor(position + Edge); k++)
        {
            if (!_earliest.TryGetValue(k, out var earliest) || seconds < earliest)
            {
                _earliest[k] = seconds;
                first = true;
            }
        }
        return first;
    }
}
