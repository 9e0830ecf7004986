using Vireo.Server.Configuration;

namespace Vireo.Server.Security;

/// <summary>
/// At most <see cref="ServerOptions.MaxConcurrentFindClips"/> find-clip requests at a time (each decodes and encodes
/// its query clip, which takes a core for seconds). A request beyond that is not queued: the endpoint answers 503
/// with Retry-After at once, so that a burst cannot make every caller wait for all the others.
/// </summary>
internal sealed class FindClipGate(ServerOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.MaxConcurrentFindClips));

    /// <summary>A slot to release by disposing it, or null when all are taken.</summary>
    public IDisposable? TryEnter() => _slots.Wait(0) ? new Slot(_slots) : null;

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                slots.Release();
        }
    }
}
