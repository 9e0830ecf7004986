namespace Vireo.Shards;

/// <summary>A part of a library that a coordinator calls (a library on this machine or on a silo of a cluster).</summary>
public interface IShard
{
    /// <summary>The shard's name in answers and in "partial" notices.</summary>
    string Name { get; }
}
