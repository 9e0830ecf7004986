using System.Collections.Concurrent;
using Vireo.Grounding.Trained;
using Vireo.Tests.Support;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>The fixtures' checkpoints imported once per test run into a temporary grounder store (import rebuilds the graph: about a second each).</summary>
internal static class ImportedGrounders
{
    private static string Store => Path.Combine(TestVideos.Folder, "grounders");
    private static readonly ConcurrentDictionary<string, Lazy<TrainedGrounder>> Grounders = new();

    public static TrainedGrounder Get(string architecture) =>
        Grounders.GetOrAdd(architecture, a => new Lazy<TrainedGrounder>(() =>
        {
            var store = new GrounderStore(Store);
            var manifest = GrounderImport.ImportAsync(store, TrainedFixtures.Checkpoint(a), replace: true).GetAwaiter().GetResult();
            return store.Open(manifest.Name, intraOpThreads: 1);
        })).Value;
}
