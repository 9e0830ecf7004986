using System.Diagnostics;

namespace Vireo.Media;

/// <summary>
/// One run of ffmpeg or ffprobe. Standard output is exposed as a stream; standard error is pumped line by
/// line to a callback and kept as a bounded log. The process is killed when the caller cancels, when it
/// makes no progress for the stall timeout, or when this object is disposed before it exited, and it is
/// always reaped: nothing is left running and nothing hangs.
/// </summary>
internal sealed class ToolProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _stderrPump;
    private readonly CancellationTokenSource _watchdog;
    private readonly CancellationTokenRegistration _killOnCancel;
    private readonly CancellationToken _callerToken;
    private readonly TimeSpan _stallTimeout;
    private int _killed;
    private volatile bool _paused;

    private ToolProcess(Process process, Action<string>? onStderrLine, Action? onStderrEnd, TimeSpan stallTimeout, CancellationToken ct)
    {
        _process = process;
        _callerToken = ct;
        _stallTimeout = stallTimeout;
        _watchdog = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _watchdog.CancelAfter(stallTimeout);
        _killOnCancel = _watchdog.Token.Register(static state => ((ToolProcess)state!).Kill(), this);
        _stderrPump = Task.Run(() => PumpStderrAsync(onStderrLine, onStderrEnd), CancellationToken.None);
    }

    public ToolLog Log { get; } = new();

    /// <summary>The process's standard input as raw bytes, when it was started to read from it (else closed).</summary>
    public Stream StandardInput => _process.StandardInput.BaseStream;

    /// <summary>The process's standard output as raw bytes.</summary>
    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <summary>True once the stall watchdog (not the caller) stopped the process.</summary>
    public bool StalledOut => _watchdog.IsCancellationRequested && !_callerToken.IsCancellationRequested;

    public static ToolProcess Start(
        string executable, IEnumerable<string> arguments, Action<string>? onStderrLine,
        TimeSpan stallTimeout, CancellationToken ct, Action? onStderrEnd = null, bool keepStandardInput = false)
    {
        ct.ThrowIfCancellationRequested();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new FFmpegNotFoundException(Path.GetFileName(executable), FFmpegTools.InstallHint + " (" + e.Message + ")");
        }
        if (!keepStandardInput)
            process.StandardInput.Close();
        return new ToolProcess(process, onStderrLine, onStderrEnd, stallTimeout, ct);
    }

    /// <summary>Tells the stall watchdog that the process made progress.</summary>
    public void Touch()
    {
        if (!_paused && !_watchdog.IsCancellationRequested)
            _watchdog.CancelAfter(_stallTimeout);
    }

    /// <summary>
    /// Stops the stall watchdog while the caller works on what it received: FFmpeg then blocks on a full
    /// pipe, which is not a stall.
    /// </summary>
    public void PauseWatchdog()
    {
        _paused = true;
        if (!_watchdog.IsCancellationRequested)
            _watchdog.CancelAfter(Timeout.InfiniteTimeSpan);
    }

    /// <summary>Re-arms the stall watchdog when the caller waits for FFmpeg again.</summary>
    public void ResumeWatchdog()
    {
        _paused = false;
        Touch();
    }

    /// <summary>Waits for the process to exit and for its standard error to be read to the end.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await _stderrPump.ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Throws the right exception if the run was stopped by the caller or the watchdog.</summary>
    public void ThrowIfStopped(string mediaPath)
    {
        _callerToken.ThrowIfCancellationRequested();
        if (StalledOut)
            throw new MediaTimeoutException(mediaPath, _stallTimeout);
    }

    public void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) != 0)
            return;
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        bool exited;
        try { exited = _process.HasExited; }
        catch (InvalidOperationException) { exited = true; }
        if (!exited)
            Kill();
        await _killOnCancel.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await _stderrPump.ConfigureAwait(false);
        }
        finally
        {
            _watchdog.Dispose();
            _process.Dispose();
        }
    }

    private async Task PumpStderrAsync(Action<string>? onLine, Action? onEnd)
    {
        try
        {
            var reader = _process.StandardError;
            while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                Touch();
                Log.Add(line);
                onLine?.Invoke(line);
            }
        }
        finally
        {
            onEnd?.Invoke();
        }
    }
}
