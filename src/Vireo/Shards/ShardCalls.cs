namespace Vireo.Shards;

/// <summary>
/// Calls every shard of one request, in parallel, each within the deadline: a shard that is unavailable is recorded as
/// missing and left out of the later phases (its answers are null); one that failed (<see cref="ShardFailedException"/>)
/// too, recorded with its reason.
/// </summary>
internal sealed class ShardCalls<TShard>(IReadOnlyList<TShard> shards, TimeSpan? deadline, List<string> missing)
    where TShard : IShard
{
    private readonly bool[] _lost = new bool[shards.Count];

    /// <summary>One call per shard still answering (given the shard and its index); null for a shard that is (or just became) missing.</summary>
    public async Task<T?[]> AllAsync<T>(Func<TShard, int, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        var calls = new Task<T?>[shards.Count];
        for (var i = 0; i < shards.Count; i++)
            calls[i] = _lost[i] ? Task.FromResult<T?>(null) : CallAsync(i, call, cancellationToken);
        return await Task.WhenAll(calls).ConfigureAwait(false);
    }

    /// <summary>Calls <paramref name="end"/> on every shard that answered (best effort: a shard that fails here changes nothing).</summary>
    public async Task EndAsync(Func<TShard, Task> end)
    {
        var ends = new List<Task>();
        for (var i = 0; i < shards.Count; i++)
        {
            if (!_lost[i])
                ends.Add(EndOneAsync(shards[i], end));
        }
        await Task.WhenAll(ends).ConfigureAwait(false);
    }

    private static async Task EndOneAsync(TShard shard, Func<TShard, Task> end)
    {
        try
        {
            await end(shard).ConfigureAwait(false);
        }
        catch (ShardUnavailableException)
        {
            // its state expires on its own
        }
    }

    private async Task<T?> CallAsync<T>(int index, Func<TShard, int, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (deadline is { } limit)
            timeout.CancelAfter(limit);
        try
        {
            return await call(shards[index], index, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Lose(index);
            return null;
        }
        catch (ShardUnavailableException)
        {
            Lose(index);
            return null;
        }
        catch (ShardFailedException e)
        {
            Lose(index, e.Reason);
            return null;
        }
    }

    private void Lose(int index, string? reason = null)
    {
        lock (missing)
        {
            if (!_lost[index])
            {
                _lost[index] = true;
                missing.Add(reason is null ? shards[index].Name : $"{shards[index].Name} ({reason})");
            }
        }
    }
}
