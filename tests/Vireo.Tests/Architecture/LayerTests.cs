using System.Text;

namespace Vireo.Tests.Architecture;

/// <summary>
/// The layer diagram, checked on the compiled assemblies (every reference in the IL, method bodies included): each
/// namespace uses only namespaces of strictly lower layers (or its own folder's), namespaces form no cycle, assemblies
/// reference only what they may, and every type lives in a namespace the diagram places.
/// </summary>
public class LayerTests
{
    /// <summary>The engine's folders, low to high. A folder's sub-namespaces (Vireo.Grounding.Events, Vireo.Models.Store …)
    /// belong to it. A listed folder may be empty; a type in a folder that is not listed fails
    /// <see cref="Every_type_lives_in_a_namespace_of_the_layer_table"/>.</summary>
    private static readonly (string Folder, int Layer)[] EngineLayers =
    [
        ("Vireo.Errors", 0),
        ("Vireo.Vectors", 1), ("Vireo.Temporal", 1), ("Vireo.Onnx", 1), ("Vireo.Shards", 1),
        ("Vireo.Media", 2), ("Vireo.Index", 2),
        ("Vireo.Imaging", 3), ("Vireo.Models", 3),
        ("Vireo.Embedding", 4), ("Vireo.Grounding", 4), ("Vireo.TimedText", 4),
        ("Vireo.Library", 5),
        ("Vireo.Ingest", 6), ("Vireo.Retrieval", 6), ("Vireo.Relocalization", 6),
        ("Vireo.Answers", 7),
        ("Vireo.Engine", 8),
    ];

    /// <summary>The research toolkit's folders, low to high; all of them sit above the whole engine.</summary>
    private static readonly (string Folder, int Layer)[] ResearchLayers =
    [
        ("Vireo.Research.Datasets", 0), ("Vireo.Research.Features", 0),
        ("Vireo.Research.Evaluation", 1),
        ("Vireo.Research.Baselines", 2),
    ];

    /// <summary>Uses between folders of one layer that the diagram allows: Features reads DatasetFormatException.</summary>
    private static readonly (string From, string To)[] SameLayerExceptions =
    [
        ("Vireo.Research.Features", "Vireo.Research.Datasets"),
    ];

    /// <summary>Assemblies that each assembly must not reference.</summary>
    private static readonly (string Assembly, string[] Forbidden)[] AssemblyRules =
    [
        ("Vireo", ["Vireo.Research", "Vireo.Cli", "Vireo.Server", "Vireo.Synthetic"]),
        ("Vireo.Research", ["Vireo.Cli", "Vireo.Server", "Vireo.Synthetic"]),
        ("Vireo.Server", ["Vireo.Cli", "Vireo.Research", "Vireo.Synthetic"]),
        ("Vireo.Cluster", ["Vireo.Cli", "Vireo.Server", "Vireo.Research", "Vireo.Synthetic"]),
    ];

    private const int ResearchTier = 1;

    private sealed record Folder(string Name, int Tier, int Layer)
    {
        public override string ToString() => Tier == ResearchTier ? $"{Name} (research layer {Layer})" : $"{Name} (layer {Layer})";
    }

    private static readonly Lazy<IReadOnlyList<AssemblyDependencies>> Assemblies = new(() =>
    [
        Load(typeof(Vireo.Vectors.VectorMath)),
        Load(typeof(Vireo.Research.Datasets.DatasetFormatException)),
        Load(typeof(Vireo.Cli.VireoCli)),
        Load(typeof(Vireo.Server.VireoServer)),
        Load(typeof(Vireo.Cluster.SiloShards)),
        Load(typeof(Vireo.Synthetic.BenchmarkModels)),
    ]);

    private static AssemblyDependencies Load(Type anchor) => CompiledDependencies.Read(anchor.Assembly.Location, IsVireoNamespace);

    private static bool IsVireoNamespace(string ns) => ns == "Vireo" || ns.StartsWith("Vireo.", StringComparison.Ordinal);

    private static AssemblyDependencies Assembly(string name) => Assemblies.Value.Single(a => a.Name == name);

    /// <summary>The layered assemblies: the engine and the research toolkit.</summary>
    private static IEnumerable<AssemblyDependencies> Layered => [Assembly("Vireo"), Assembly("Vireo.Research")];

    private static Folder? FolderOf(string ns)
    {
        foreach (var (table, tier) in new[] { (EngineLayers, 0), (ResearchLayers, ResearchTier) })
        {
            foreach (var (name, layer) in table)
            {
                if (ns == name || ns.StartsWith(name + ".", StringComparison.Ordinal))
                {
                    return new Folder(name, tier, layer);
                }
            }
        }

        return null;
    }

    private static bool MayUse(Folder from, Folder to) =>
        from == to || IsStrictlyLower(from, to) || SameLayerExceptions.Contains((from.Name, to.Name));

    /// <summary>Whether <paramref name="to"/> sits in a strictly lower layer than <paramref name="from"/>: uses that can
    /// never close a cycle by themselves (false for an unplaced namespace).</summary>
    private static bool IsStrictlyLower(Folder? from, Folder? to) =>
        from is not null && to is not null && (from.Tier > to.Tier || (from.Tier == to.Tier && from.Layer > to.Layer));

    [Fact]
    public void Each_namespace_uses_only_lower_layers()
    {
        var violations = new List<(string Edge, TypeDependency Use)>();
        foreach (var assembly in Layered)
        {
            foreach (var use in assembly.Dependencies)
            {
                if (FolderOf(use.SourceNamespace) is not { } from)
                {
                    continue; // a namespace outside the table: Every_type_lives_in_a_namespace_of_the_layer_table reports it
                }

                var to = FolderOf(use.TargetNamespace);
                if (to is null || !MayUse(from, to))
                {
                    var target = to?.ToString() ?? $"{use.TargetNamespace} ({(use.TargetAssembly == assembly.Name ? "not in the layer table" : $"assembly {use.TargetAssembly}, above every layer")})";
                    violations.Add(($"{from} -> {target}", use));
                }
            }
        }

        if (violations.Count == 0)
        {
            return;
        }

        var message = new StringBuilder($"{violations.Count} use(s) of a namespace that is not in a strictly lower layer:");
        foreach (var group in violations.GroupBy(v => v.Edge).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            message.Append("\n  ").Append(group.Key).Append(':');
            foreach (var (_, use) in group)
            {
                message.Append("\n    ").Append(use);
            }
        }

        Assert.Fail(message.ToString());
    }

    [Fact]
    public void Namespaces_form_no_cycle()
    {
        // Every namespace of every assembly (engine, research, hosts, model builder) is a node, sub-namespaces included,
        // so that the parts of one folder (Vireo.Grounding, .Events, .Proposals, .Scoring) must be acyclic among themselves too.
        var uses = Assemblies.Value
            .SelectMany(a => a.Dependencies)
            .Where(d => d.SourceNamespace != d.TargetNamespace && d.SourceNamespace.Length > 0)
            .ToList();
        var cycles = NamespaceCycles.Find(uses, (from, to) => !IsStrictlyLower(FolderOf(from), FolderOf(to)));
        if (cycles.Count == 0)
        {
            return;
        }

        const int MaxCyclesShown = 20;
        var message = new StringBuilder($"{cycles.Count} set(s) of namespaces that depend on each other in a cycle:");
        foreach (var component in cycles)
        {
            message.Append("\n  ").AppendJoin(", ", component.Members).Append(':');
            foreach (var cycle in component.Cycles.Take(MaxCyclesShown))
            {
                message.Append("\n    cycle ").AppendJoin(" -> ", cycle.Append(cycle[0]));
            }

            if (component.Cycles.Count > MaxCyclesShown)
            {
                message.Append($"\n    … and {component.Cycles.Count - MaxCyclesShown} more");
            }

            // The uses behind each step of the cycles shown, so that it is clear which ones to move or invert.
            var steps = component.Cycles.Take(MaxCyclesShown)
                .SelectMany(c => c.Zip(c.Skip(1).Append(c[0])))
                .Distinct()
                .OrderBy(step => step.First, StringComparer.Ordinal).ThenBy(step => step.Second, StringComparer.Ordinal);
            foreach (var (from, to) in steps)
            {
                message.Append($"\n    {from} -> {to}:");
                foreach (var use in uses.Where(u => u.SourceNamespace == from && u.TargetNamespace == to))
                {
                    message.Append("\n      ").Append(use);
                }
            }
        }

        Assert.Fail(message.ToString());
    }

    [Fact]
    public void Assemblies_reference_only_what_the_layers_allow()
    {
        var message = new StringBuilder();
        foreach (var (name, forbidden) in AssemblyRules)
        {
            var assembly = Assembly(name);
            foreach (var reference in assembly.AssemblyReferences.Intersect(forbidden, StringComparer.Ordinal))
            {
                message.Append($"\n  {name} references {reference}");
                foreach (var use in assembly.Dependencies.Where(d => d.TargetAssembly == reference))
                {
                    message.Append("\n    ").Append(use);
                }
            }
        }

        if (message.Length > 0)
        {
            Assert.Fail("Forbidden assembly reference(s):" + message);
        }
    }

    [Fact]
    public void Every_type_lives_in_a_namespace_of_the_layer_table()
    {
        var tables = new[] { ("Vireo", EngineLayers), ("Vireo.Research", ResearchLayers) };
        var misplaced = new List<string>();
        foreach (var (name, table) in tables)
        {
            foreach (var type in Assembly(name).Types.Where(t => !t.IsCompilerGenerated))
            {
                var placed = table.Any(entry => type.Namespace == entry.Folder || type.Namespace.StartsWith(entry.Folder + ".", StringComparison.Ordinal));
                if (!placed)
                {
                    misplaced.Add($"{type.Name} (assembly {name}, namespace '{type.Namespace}')");
                }
            }
        }

        if (misplaced.Count > 0)
        {
            Assert.Fail($"{misplaced.Count} type(s) in a namespace the layer table does not place (add the folder to LayerTests at its layer):\n  "
                + string.Join("\n  ", misplaced));
        }
    }

    [Fact]
    public void The_analysis_sees_uses_inside_method_bodies_and_compiler_generated_code()
    {
        var samples = CompiledDependencies.Read(typeof(ExtractorSamples).Assembly.Location, ns => ns == typeof(ExtractorSamples).Namespace);
        var from = typeof(ExtractorSamples.Uses).FullName!;
        var seen = samples.Dependencies.Where(d => d.Source == from).Select(d => d.Target).ToHashSet(StringComparer.Ordinal);
        var expected = typeof(ExtractorSamples).GetNestedTypes().Where(t => t.Name.StartsWith("Used", StringComparison.Ordinal)).Select(t => t.FullName!).ToList();

        Assert.Equal(10, expected.Count);
        Assert.All(expected, t => Assert.Contains(t, seen));
        Assert.DoesNotContain(samples.Dependencies, d => d.Source.Contains('<', StringComparison.Ordinal) || d.Target.Contains('<', StringComparison.Ordinal));
        Assert.Contains(samples.Types, t => t.IsCompilerGenerated && t.Name.StartsWith(from + "+<", StringComparison.Ordinal));

        // A hand-written file-local type is named like a generated one (<LayerTests>F…__FileLocalSample) but must be placed.
        var fileLocal = Assert.Single(samples.Types, t => t.Name.EndsWith("__" + nameof(FileLocalSample), StringComparison.Ordinal));
        Assert.False(fileLocal.IsCompilerGenerated);
        Assert.Equal(typeof(ExtractorSamples).Namespace, fileLocal.Namespace);
    }
}

/// <summary>A <c>file</c> type: see <see cref="LayerTests.The_analysis_sees_uses_inside_method_bodies_and_compiler_generated_code"/>.</summary>
file static class FileLocalSample;

/// <summary>
/// Uses of types that appear in no signature, only in code the compiler moves or rewrites (a lambda's closure class, async
/// and iterator state machines, a local function), in IL operands (<c>typeof</c>, <c>isinst</c>, a static call, a generic
/// method argument) and in a catch clause and attribute argument. The analysis must find each as a use by <see cref="Uses"/>.
/// </summary>
public static class ExtractorSamples
{
    public sealed class UsedInLambda;
    public static class UsedInAsyncMethod { public static void Call() { } }
    public static class UsedInAsyncIterator { public static readonly int Value = 1; }
    public static class UsedInIterator { public static int Make() => 2; }
    public static class UsedInLocalFunction { public static int Make() => 3; }
    public sealed class UsedInTypeOf;
    public sealed class UsedInTypeCheck;
    public sealed class UsedAsGenericArgument;
    public sealed class UsedInCatchException : Exception;
    public sealed class UsedAsAttributeArgument;

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class SampleAttribute(Type type) : Attribute { public Type Type { get; } = type; }

    public static class Uses
    {
        public static Func<object> Lambda() => () => new UsedInLambda();

        public static async Task AsyncMethod()
        {
            await Task.Yield();
            UsedInAsyncMethod.Call();
        }

        public static async IAsyncEnumerable<int> AsyncIterator()
        {
            await Task.Yield();
            yield return UsedInAsyncIterator.Value;
        }

        public static IEnumerable<int> Iterator()
        {
            yield return UsedInIterator.Make();
        }

        public static int LocalFunction(int x)
        {
            return Local() + x;
            int Local() => UsedInLocalFunction.Make() + x;
        }

        public static Type TypeOf() => typeof(UsedInTypeOf);

        public static bool TypeCheck(object o) => o is UsedInTypeCheck;

        public static int GenericArgument() => Array.Empty<UsedAsGenericArgument>().Length;

        [Sample(typeof(UsedAsAttributeArgument))]
        public static int Catch()
        {
            try
            {
                return int.Parse("1", System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (UsedInCatchException)
            {
                return 0;
            }
        }
    }
}
