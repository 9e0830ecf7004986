using Vireo.Errors;

namespace Vireo.Shards;

/// <summary>
/// A shard that answered, but cannot serve this query while the other shards can (its silo lacks the trained grounder
/// the query names): a scatter-gather goes on without it and names it with <see cref="VireoException.Reason"/>, rather
/// than answering for it in another way. Any other failure of a shard fails the request.
/// </summary>
public sealed class ShardFailedException(string shard, string reason)
    : VireoException(ErrorKind.Dependency, $"shard {shard} failed: {reason}", shard, reason)
{
    public string Shard { get; } = shard;
}
