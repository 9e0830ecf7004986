using Vireo.Errors;
using Vireo.Shards;

namespace Vireo.Cluster;

/// <summary>
/// A Vireo error raised on a silo, as it crosses to the caller. Orleans can write neither Vireo's exceptions (no
/// generated codec) nor any exception as JSON (its TargetSite is a MethodBase), so each silo's incoming call filter
/// (<see cref="CarryAsync"/>) turns them into this, and <see cref="GrainCalls"/> turns it back into a Vireo error of the
/// same kind and words: a <see cref="ShardFailedException"/> or <see cref="ShardUnavailableException"/> (a partition
/// handed away mid-search) as one, so the search leaves that shard out and names it.
/// </summary>
[GenerateSerializer]
public sealed class SiloErrorException : Exception
{
    public SiloErrorException()
    {
    }

    private SiloErrorException(VireoException error)
        : base(error.Message)
    {
        (Text, Kind, Subject, Reason) = (error.Message, (int)error.Kind, error.Subject, error.Reason);
        (FailedShard, UnavailableShard) = ((error as ShardFailedException)?.Shard, (error as ShardUnavailableException)?.Shard);
    }

    [Id(0)]
    public string Text { get; init; } = "";

    [Id(1)]
    public int Kind { get; init; }

    [Id(2)]
    public string? Subject { get; init; }

    [Id(3)]
    public string Reason { get; init; } = "";

    /// <summary>The shard of a <see cref="ShardFailedException"/>, else null.</summary>
    [Id(4)]
    public string? FailedShard { get; init; }

    /// <summary>The shard of a <see cref="ShardUnavailableException"/>, else null.</summary>
    [Id(5)]
    public string? UnavailableShard { get; init; }

    /// <summary>The error as the silo raised it.</summary>
    public VireoException ToVireo() =>
        FailedShard is { } failed ? new ShardFailedException(failed, Reason)
        : UnavailableShard is { } unavailable ? new ShardUnavailableException(unavailable, Reason)
        : new RemoteVireoException((ErrorKind)Kind, Text, Subject, Reason);

    /// <summary>The silo's incoming call filter: a call that fails with a Vireo error fails with its <see cref="SiloErrorException"/>.</summary>
    internal static async Task CarryAsync(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
        catch (VireoException e)
        {
            throw new SiloErrorException(e);
        }
    }
}

/// <summary>A Vireo error a silo reported, with its kind and words as the silo said them.</summary>
public sealed class RemoteVireoException(ErrorKind kind, string message, string? subject, string reason)
    : VireoException(kind, message, subject, reason);
