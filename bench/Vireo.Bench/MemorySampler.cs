using System.Globalization;

namespace Vireo.Bench;

/// <summary>
/// Peak resident memory of this process plus its child processes (FFmpeg), sampled every 50 ms from /proc while a
/// piece of work runs (the kernel's own peaks cannot be reset for children).
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public MemorySampler() => _timer = new Timer(_ => Sample(), null, 0, 50);

    /// <summary>The highest sampled total, in bytes.</summary>
    public long Peak
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    private void Sample()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            var total = Rss("/proc/self/status");
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                var children = File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                foreach (var child in children)
                    total += Rss($"/proc/{child}/status");
            }
            long current;
            do
                current = Interlocked.Read(ref _peak);
            while (total > current && Interlocked.CompareExchange(ref _peak, total, current) != current);
        }
        catch (IOException)
        {
            // a child exited between listing and reading
        }
    }

    private static long Rss(string status)
    {
        try
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    public void Dispose() => _timer.Dispose();
}
