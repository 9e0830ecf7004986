namespace Vireo.Bench;

/// <summary>How busy the machine is while a suite runs (single-thread figures mean little on a loaded machine).</summary>
internal static class BenchMachine
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" on {Environment.ProcessorCount} cores" : "unknown";
}
