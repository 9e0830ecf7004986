using System.Diagnostics;

namespace Vireo.Bench;

/// <summary>How busy the machine is while a suite runs (single-thread figures mean little on a loaded machine), and how suites time work on it.</summary>
internal static class BenchMachine
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" on {Environment.ProcessorCount} cores" : "unknown";

    /// <summary>The best of five rounds: on a shared machine the fastest round is the one least disturbed by others.</summary>
    public static double Best(Func<double> round) => Enumerable.Range(0, 5).Max(_ => round());

    /// <summary>The median of <paramref name="repeats"/> measurements (the upper middle one when even).</summary>
    public static double Median(int repeats, Func<double> measure) => Median(Enumerable.Range(0, repeats).Select(_ => measure()));

    /// <summary>The median of the values (the upper middle one when their count is even).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The seconds <paramref name="run"/> takes.</summary>
    public static double Seconds(Action run)
    {
        var watch = Stopwatch.StartNew();
        run();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Items per second: runs <paramref name="round"/>, which returns how many items it handled, again and again
    /// until <paramref name="seconds"/> have passed (at least once).
    /// </summary>
    public static double Rate(double seconds, Func<int> round)
    {
        var watch = Stopwatch.StartNew();
        long count = 0;
        do
        {
            count += round();
        }
        while (watch.Elapsed.TotalSeconds < seconds);
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Median milliseconds of <paramref name="repeats"/> runs, after warming up (JIT tiers, caches) for at least one run
    /// and <paramref name="warmupSeconds"/>.
    /// </summary>
    public static double MedianMs<T>(int repeats, Func<T> run, double warmupSeconds = 0)
    {
        var warm = System.Diagnostics.Stopwatch.StartNew();
        do
            GC.KeepAlive(run());
        while (warm.Elapsed.TotalSeconds < warmupSeconds);
        return Median(repeats, () => Seconds(() => GC.KeepAlive(run())) * 1000);
    }

    /// <summary>Bytes one run of <paramref name="run"/> allocates on this thread.</summary>
    public static long AllocatedBytes<T>(Func<T> run)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(run());
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
