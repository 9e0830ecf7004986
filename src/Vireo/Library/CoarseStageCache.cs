
namespace Vireo.Library;

/// <summary>
/// A long-lived reader's coarse stage: loaded on first use and reloaded (by one caller at a time) when the library's
/// generation moves, so searches see videos committed by a running indexer.
/// </summary>
internal sealed class CoarseStageCache(VideoLibrary library) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile CoarseStage? _stage;

    /// <summary>The coarse stage for the library as it is now.</summary>
    public async Task<CoarseStage> CurrentAsync(CancellationToken cancellationToken)
    {
        var generation = library.Generation;
        if (_stage is { } current && current.Generation == generation)
            return current;
        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stage is not { } loaded || loaded.Generation != generation)
                _stage = await CoarseStage.LoadAsync(library, _stage, cancellationToken).ConfigureAwait(false);
            return _stage;
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose() => _reload.Dispose();
}
