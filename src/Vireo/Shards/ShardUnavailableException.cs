using Vireo.Errors;

namespace Vireo.Shards;

/// <summary>
/// A shard that did not answer: it failed to respond, its machine is gone, or it missed the deadline. A scatter-gather
/// (search, find-clip) goes on without it and names it in its answer; any other failure of a shard fails the request.
/// </summary>
public sealed class ShardUnavailableException(string shard, string reason, Exception? inner = null)
    : VireoException(ErrorKind.Dependency, $"shard {shard} did not answer: {reason}", shard, reason, inner)
{
    public string Shard { get; } = shard;
}
