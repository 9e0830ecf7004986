namespace Vireo.Bench;

/// <summary>How busy the machine is while a suite runs (single-thread figures mean little on a loaded machine).</summary>
internal static class BenchMachine
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" on {Environment.ProcessorCount} cores" : "unknown";

    /// <summary>The best of five rounds: on a shared machine the fastest round is the one least disturbed by others.</summary>
    public static double Best(Func<double> round) => Enumerable.Range(0, 5).Max(_ => round());
}
