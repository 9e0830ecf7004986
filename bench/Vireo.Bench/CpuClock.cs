using System.Diagnostics;

namespace Vireo.Bench;

/// <summary>
/// CPU time of this process (all its threads) plus its exited, reaped children (FFmpeg), and wall time: what a
/// pipeline costs, independent of how busy the shared machine is.
/// </summary>
internal readonly record struct CpuClock(double Process, double Children, long Ticks)
{
    public static CpuClock Now()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new CpuClock(self.TotalProcessorTime.TotalSeconds, ChildSeconds(), Stopwatch.GetTimestamp());
    }

    /// <summary>CPU seconds and wall seconds since <paramref name="start"/>.</summary>
    public CpuSpan Since(CpuClock start) =>
        new(Process - start.Process, Children - start.Children, Stopwatch.GetElapsedTime(start.Ticks, Ticks).TotalSeconds);

    /// <summary>CPU seconds of exited child processes (cutime + cstime of /proc/self/stat), 0 off Linux.</summary>
    public static double ChildSeconds()
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        var fields = File.ReadAllText("/proc/self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // cutime and cstime are fields 16 and 17 of stat (indexes 13 and 14 after the command name).
        return (double.Parse(fields[13], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(fields[14], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }
}

/// <summary>CPU seconds of the process and of its children over a wall-time span.</summary>
internal readonly record struct CpuSpan(double Process, double Children, double Wall)
{
    public double Cpu => Process + Children;

    /// <summary>(process + children CPU) / (wall × cores): 1 when every core was busy with this work.</summary>
    public double Share => Wall > 0 ? Cpu / (Wall * Environment.ProcessorCount) : 0;
}
