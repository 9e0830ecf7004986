using Orleans.Runtime;

namespace Vireo.Cluster;

/// <summary>The durable state of <see cref="IPartitionDirectoryGrain"/>.</summary>
public sealed class PartitionDirectoryState
{
    public int Partitions { get; set; }

    public Dictionary<int, string> Holders { get; set; } = [];

    /// <summary>The silos that joined with a data folder (only they are given partitions).</summary>
    public SortedSet<string> DataSilos { get; set; } = new(StringComparer.Ordinal);

    public SortedSet<string> Leaving { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The grain of <see cref="IPartitionDirectoryGrain"/>; every change is written before it answers.</summary>
internal sealed class PartitionDirectoryGrain(
    [PersistentState("partition-directory", PartitionDirectoryStorage.Name)] IPersistentState<PartitionDirectoryState> state,
    IClusterMembershipService membership) : Grain, IPartitionDirectoryGrain
{
    private PartitionDirectoryState State => state.State;

    public async Task<JoinAnswer> JoinAsync(string silo, int partitions, int[] onDisk)
    {
        if (State.Partitions != 0 && State.Partitions != partitions)
            return new JoinAnswer(State.Partitions, [], $"the cluster has {State.Partitions} partitions and this silo's data folder is made for {partitions}: give it an empty --data folder");
        State.Partitions = partitions;
        State.DataSilos.Add(silo);
        State.Leaving.Remove(silo);
        var stale = new List<int>();
        foreach (var partition in onDisk)
        {
            if (!State.Holders.TryGetValue(partition, out var holder))
                State.Holders[partition] = silo;
            else if (holder != silo)
                stale.Add(partition);
        }
        await state.WriteStateAsync().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        return new JoinAnswer(partitions, [.. stale], null);
    }

    public Task<DirectoryView> ViewAsync() =>
        Task.FromResult(new DirectoryView(State.Partitions, new Dictionary<int, string>(State.Holders)) { DataSilos = [.. State.DataSilos] });

    public async Task<string?> AssignAsync(int partition)
    {
        if (State.Holders.TryGetValue(partition, out var holder))
            return holder;
        if (partition < 0 || partition >= State.Partitions || PartitionPlacement.Owner(partition, Candidates(await ActiveSilosAsync().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext))) is not { } owner)
            return null;
        State.Holders[partition] = owner;
        await state.WriteStateAsync().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        return owner;
    }

    public async Task<PartitionMove[]> PlanAsync(string caller)
    {
        var active = await ActiveSilosAsync().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        active.Add(caller);
        var candidates = Candidates(active);
        var moves = State.Holders
            .Where(h => active.Contains(h.Value))
            .Select(h => (h.Key, From: h.Value, To: PartitionPlacement.Owner(h.Key, candidates)))
            .Where(m => m.To is not null && m.To != m.From)
            .Select(m => new PartitionMove(m.Key, m.From, m.To!))
            .OrderBy(m => m.Partition)
            .ToArray();
        return moves;
    }

    public async Task<bool> SwitchAsync(int partition, string from, string newHolder)
    {
        if (!State.Holders.TryGetValue(partition, out var holder) || holder != from)
            return false;
        State.Holders[partition] = newHolder;
        await state.WriteStateAsync().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        return true;
    }

    public async Task LeaveAsync(string silo)
    {
        if (State.Leaving.Add(silo))
            await state.WriteStateAsync().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    /// <summary>Active data silos that are not leaving: those partitions may go to.</summary>
    private string[] Candidates(HashSet<string> active) =>
        [.. State.DataSilos.Where(s => active.Contains(s) && !State.Leaving.Contains(s))];

    /// <summary>
    /// The active silos as the membership table has them now: this silo's view may lag a silo that has just joined by
    /// seconds under load (gossip), long enough for a hand-off plan or a first assignment to leave it out.
    /// </summary>
    private async Task<HashSet<string>> ActiveSilosAsync()
    {
        await membership.Refresh().ConfigureAwait(true); // grain code stays on its scheduler
        return membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
    }
}
