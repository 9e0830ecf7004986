using System.Diagnostics;

namespace Vireo.Bench;

/// <summary>Wall-clock timing of in-process work.</summary>
internal static class BenchTiming
{
    /// <summary>
    /// Median milliseconds of <paramref name="repeats"/> runs, after warming up (JIT tiers, caches) for at least one run
    /// and <paramref name="warmupSeconds"/>.
    /// </summary>
    public static double MedianMs<T>(int repeats, Func<T> run, double warmupSeconds = 0)
    {
        var warm = Stopwatch.StartNew();
        do
            GC.KeepAlive(run());
        while (warm.Elapsed.TotalSeconds < warmupSeconds);
        var times = new List<double>(repeats);
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(run());
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Bytes one run of <paramref name="run"/> allocates on this thread.</summary>
    public static long AllocatedBytes<T>(Func<T> run)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(run());
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
