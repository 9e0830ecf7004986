using Vireo.Media.Relay;

namespace Vireo.Media;

/// <summary>
/// The <see cref="PacketRelay"/> of one decoding run: opened off the caller's thread and pumped on a thread of its own
/// into the decoder's standard input, so that a file that blocks on open or read (a FIFO, a hung network mount) never
/// blocks the sampler, whose stall watchdog stays in charge; its native input is released only once that thread is
/// done with it.
/// </summary>
internal sealed class RelayedInput : IAsyncDisposable
{
    private readonly PacketRelay _relay;
    private Task<string?>? _pump;

    private RelayedInput(PacketRelay relay) => _relay = relay;

    /// <summary>The relay of <paramref name="video"/>, or null when it cannot serve the file or opening it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<RelayedInput?> OpenAsync(string fullPath, VideoStreamInfo video, double framesPerSecond, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var file = new FileInfo(fullPath);
        if (!file.Exists || file.Length == 0) // a FIFO or a device: only FFmpeg's own process may wait on it
            return null;
        var stream = new RelayedStream(video.Index, video.Codec, video.Width, video.Height);
        var opening = Task.Factory.StartNew(() => PacketRelay.TryOpen(FFmpegArguments.InputUrl(fullPath), stream, framesPerSecond),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return await opening.WaitAsync(timeout, cancellationToken).ConfigureAwait(false) is { } relay ? new RelayedInput(relay) : null;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            _ = opening.ContinueWith(static done => done.Result?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            if (e is OperationCanceledException)
                throw;
            return null;
        }
    }

    /// <summary>Starts writing the relayed stream to <paramref name="decoderInput"/>, which is closed when the input ends.</summary>
    public void Start(Stream decoderInput, CancellationToken cancellationToken) =>
        _pump = Task.Factory.StartNew(() =>
        {
            using (decoderInput)
                return _relay.Run(decoderInput, cancellationToken);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Why reading the file failed, if it did, once the relay finished (a relay still reading after <paramref name="timeout"/> stalled).</summary>
    public async Task<string?> ErrorAsync(TimeSpan timeout)
    {
        if (_pump is null)
            return null;
        try
        {
            return await _pump.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return $"reading the file made no progress for {timeout.TotalSeconds:0} s";
        }
    }

    /// <summary>Why the relay could not carry the stream (see <see cref="PacketRelay.Refusal"/>); read after <see cref="ErrorAsync"/>.</summary>
    public string? Refusal => _pump is { IsCompleted: true } ? _relay.Refusal : null;

    /// <summary>Damage the demuxer reported (see <see cref="PacketRelay.DamageTimes"/>), with its words; read after <see cref="ErrorAsync"/>.</summary>
    public (IReadOnlyList<double> Times, string? Report) Damage => _pump is { IsCompleted: true } ? (_relay.DamageTimes, _relay.DamageReport) : ([], null);

    public ValueTask DisposeAsync()
    {
        if (_pump is null || _pump.IsCompleted)
            _relay.Dispose();
        else
            _ = _pump.ContinueWith(_ => _relay.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return ValueTask.CompletedTask;
    }
}
