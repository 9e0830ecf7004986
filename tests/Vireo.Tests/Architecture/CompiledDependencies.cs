using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Vireo.Tests.Architecture;

/// <summary>One type of an analysed assembly using another type: <c>Source -> Target</c>, read from the compiled IL.</summary>
/// <param name="Source">The using type, as written in source (a compiler-generated closure, lambda class or state machine
/// is reported as the type that declares it).</param>
/// <param name="SourceNamespace">The namespace of <paramref name="Source"/> (of its outermost declaring type).</param>
/// <param name="Target">The used type (generic instances, arrays, pointers and by-refs taken apart).</param>
/// <param name="TargetNamespace">The namespace of <paramref name="Target"/> (of its outermost declaring type).</param>
/// <param name="TargetAssembly">The assembly <paramref name="Target"/> is defined in.</param>
internal sealed record TypeDependency(string Source, string SourceNamespace, string Target, string TargetNamespace, string TargetAssembly)
{
    public override string ToString() => $"{Source} -> {Target}";
}

/// <summary>A type defined in an analysed assembly.</summary>
/// <param name="Name">Full name, nested types joined with '+'.</param>
/// <param name="Namespace">Namespace of the type (of its outermost declaring type).</param>
/// <param name="IsCompilerGenerated">Emitted by the compiler or by a source generator as its own helper, or nested in such
/// a type (see <see cref="CompiledDependencies.IsCompilerGenerated"/>): not placed in the layer table.</param>
internal sealed record DefinedType(string Name, string Namespace, bool IsCompilerGenerated);

/// <summary>What one compiled assembly holds and uses.</summary>
internal sealed record AssemblyDependencies(
    string Name,
    IReadOnlyList<DefinedType> Types,
    IReadOnlyList<string> AssemblyReferences,
    IReadOnlyList<TypeDependency> Dependencies);

/// <summary>
/// Extracts type-level dependencies from compiled assemblies with Mono.Cecil: base types, interfaces, generic parameter
/// constraints, custom attributes (and their arguments, including <c>typeof</c> ones), fields, properties, events, method
/// signatures and overrides, local variables, catch clauses and every operand of every IL instruction (type, method,
/// field and call-site references, taken apart into declaring types, signatures and generic arguments). Nested types are
/// analysed with their declaring type, so closures (<c>&lt;&gt;c</c>, <c>&lt;&gt;c__DisplayClass</c>), lambdas, local
/// functions, iterators and async state machines (<c>&lt;Method&gt;d__N</c>) count for the type whose code they came from.
/// </summary>
internal static class CompiledDependencies
{
    /// <summary>Reads <paramref name="assemblyPath"/>; only references to types whose namespace passes
    /// <paramref name="isRelevantNamespace"/> are kept (the rest, e.g. System.*, is dropped early).</summary>
    public static AssemblyDependencies Read(string assemblyPath, Func<string, bool> isRelevantNamespace)
    {
        using var resolver = new TrustedPlatformResolver(Path.GetDirectoryName(assemblyPath)!);
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath, new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = false });
        var module = assembly.MainModule;
        var types = new List<DefinedType>();
        var dependencies = new HashSet<TypeDependency>();
        foreach (var type in module.Types)
        {
            if (type.Name == "<Module>")
            {
                continue;
            }

            var collector = new Collector(module, isRelevantNamespace, dependencies);
            Walk(type, type, collector, types, outerIsCompilerGenerated: false);
        }

        return new AssemblyDependencies(
            assembly.Name.Name,
            types,
            module.AssemblyReferences.Select(r => r.Name).Order(StringComparer.Ordinal).ToList(),
            dependencies.OrderBy(d => d.Source, StringComparer.Ordinal).ThenBy(d => d.Target, StringComparer.Ordinal).ToList());
    }

    /// <summary>Visits <paramref name="type"/> and its nested types; <paramref name="reportAs"/> is the nearest
    /// enclosing type that was written in source.</summary>
    private static void Walk(TypeDefinition type, TypeDefinition reportAs, Collector collector, List<DefinedType> types, bool outerIsCompilerGenerated)
    {
        var generated = outerIsCompilerGenerated || IsCompilerGenerated(type);
        types.Add(new DefinedType(DisplayName(type), NamespaceOf(type), generated));
        collector.Source = reportAs;
        collector.CollectType(type);
        foreach (var nested in type.NestedTypes)
        {
            Walk(nested, IsCompilerGenerated(nested) ? reportAs : nested, collector, types, generated);
        }
    }

    /// <summary>Emitted by the compiler (closures, state machines, anonymous types, &lt;PrivateImplementationDetails&gt;,
    /// embedded attributes) or a source generator's own file-local helper (e.g. the regex generator's
    /// <c>System.Text.RegularExpressions.Generated.&lt;RegexGenerator_g&gt;F…__Utilities</c>). A <c>file</c> class written by
    /// hand is also named <c>&lt;File&gt;F…__Name</c> but is not generated, and neither is a partial type a generator
    /// completes (a JsonSerializerContext), so both are placed like any other type.</summary>
    internal static bool IsCompilerGenerated(TypeDefinition type)
    {
        if (type.CustomAttributes.Any(a => a.AttributeType.FullName is "System.Runtime.CompilerServices.CompilerGeneratedAttribute"
                or "Microsoft.CodeAnalysis.EmbeddedAttribute"))
        {
            return true;
        }

        if (!type.Name.StartsWith('<'))
        {
            return false;
        }

        return !IsFileLocal(type.Name)
            || type.CustomAttributes.Any(a => a.AttributeType.FullName == "System.CodeDom.Compiler.GeneratedCodeAttribute");
    }

    /// <summary>The metadata name of a C# <c>file</c> type: <c>&lt;SourceFile&gt;F{hex}__Name</c>.</summary>
    private static bool IsFileLocal(string name)
    {
        var close = name.IndexOf(">F", StringComparison.Ordinal);
        var separator = close > 0 ? name.IndexOf("__", close + 2, StringComparison.Ordinal) : -1;
        return separator > close + 2 && name[(close + 2)..separator].All(char.IsAsciiHexDigit);
    }

    /// <summary>The namespace a type lives in: that of its outermost declaring type.</summary>
    internal static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }

    /// <summary>"Namespace.Outer+Inner", without generic arguments.</summary>
    internal static string DisplayName(TypeReference type) =>
        type.DeclaringType is null
            ? (type.Namespace.Length == 0 ? type.Name : type.Namespace + "." + type.Name)
            : DisplayName(type.DeclaringType) + "+" + type.Name;

    private sealed class Collector(ModuleDefinition module, Func<string, bool> isRelevantNamespace, HashSet<TypeDependency> dependencies)
    {
        public TypeDefinition Source { get; set; } = null!;

        public void CollectType(TypeDefinition type)
        {
            AddType(type.BaseType);
            foreach (var implementation in type.Interfaces)
            {
                AddType(implementation.InterfaceType);
                AddAttributes(implementation);
            }

            AddAttributes(type);
            AddGenericParameters(type);
            foreach (var field in type.Fields)
            {
                AddType(field.FieldType);
                AddAttributes(field);
            }

            foreach (var property in type.Properties)
            {
                AddType(property.PropertyType);
                AddAttributes(property);
                AddParameters(property.Parameters);
            }

            foreach (var @event in type.Events)
            {
                AddType(@event.EventType);
                AddAttributes(@event);
            }

            foreach (var method in type.Methods)
            {
                CollectMethod(method);
            }
        }

        private void AddParameters(IEnumerable<ParameterDefinition> parameters)
        {
            foreach (var parameter in parameters)
            {
                AddType(parameter.ParameterType);
                AddAttributes(parameter);
            }
        }

        private void CollectMethod(MethodDefinition method)
        {
            AddAttributes(method);
            AddType(method.ReturnType);
            AddAttributes(method.MethodReturnType);
            AddGenericParameters(method);
            AddParameters(method.Parameters);

            foreach (var overridden in method.Overrides)
            {
                AddMethod(overridden);
            }

            if (!method.HasBody)
            {
                return;
            }

            var body = method.Body;
            foreach (var variable in body.Variables)
            {
                AddType(variable.VariableType);
            }

            foreach (var handler in body.ExceptionHandlers)
            {
                AddType(handler.CatchType);
            }

            foreach (var instruction in body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference typeReference:
                        AddType(typeReference);
                        break;
                    case MethodReference methodReference:
                        AddMethod(methodReference);
                        break;
                    case FieldReference fieldReference:
                        AddType(fieldReference.DeclaringType);
                        AddType(fieldReference.FieldType);
                        break;
                    case CallSite callSite:
                        AddType(callSite.ReturnType);
                        foreach (var parameter in callSite.Parameters)
                        {
                            AddType(parameter.ParameterType);
                        }

                        break;
                }
            }
        }

        private void AddMethod(MethodReference method)
        {
            AddType(method.DeclaringType);
            AddType(method.ReturnType);
            foreach (var parameter in method.Parameters)
            {
                AddType(parameter.ParameterType);
            }

            if (method is GenericInstanceMethod generic)
            {
                foreach (var argument in generic.GenericArguments)
                {
                    AddType(argument);
                }
            }
        }

        private void AddGenericParameters(IGenericParameterProvider provider)
        {
            foreach (var parameter in provider.GenericParameters)
            {
                AddAttributes(parameter);
                foreach (var constraint in parameter.Constraints)
                {
                    AddType(constraint.ConstraintType);
                    AddAttributes(constraint);
                }
            }
        }

        private void AddAttributes(ICustomAttributeProvider provider)
        {
            if (!provider.HasCustomAttributes)
            {
                return;
            }

            foreach (var attribute in provider.CustomAttributes)
            {
                AddMethod(attribute.Constructor);
                foreach (var argument in attribute.ConstructorArguments)
                {
                    AddAttributeArgument(argument);
                }

                foreach (var named in attribute.Fields.Concat(attribute.Properties))
                {
                    AddAttributeArgument(named.Argument);
                }
            }
        }

        private void AddAttributeArgument(CustomAttributeArgument argument)
        {
            AddType(argument.Type);
            switch (argument.Value)
            {
                case TypeReference typeOf:
                    AddType(typeOf);
                    break;
                case CustomAttributeArgument boxed:
                    AddAttributeArgument(boxed);
                    break;
                case CustomAttributeArgument[] array:
                    foreach (var element in array)
                    {
                        AddAttributeArgument(element);
                    }

                    break;
            }
        }

        private void AddType(TypeReference? type)
        {
            switch (type)
            {
                case null:
                case GenericParameter:
                    return;
                case GenericInstanceType generic:
                    AddType(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        AddType(argument);
                    }

                    return;
                case FunctionPointerType pointer:
                    AddType(pointer.ReturnType);
                    foreach (var parameter in pointer.Parameters)
                    {
                        AddType(parameter.ParameterType);
                    }

                    return;
                case IModifierType modified:
                    AddType(modified.ModifierType);
                    AddType(((TypeSpecification)type).ElementType);
                    return;
                case TypeSpecification specification: // array, pointer, by-ref, pinned, sentinel
                    AddType(specification.ElementType);
                    return;
            }

            // A nested type of a generic type is referenced with its declaring type's generic arguments elsewhere; the
            // declaring type itself is part of the name, so the outermost type's namespace is what counts.
            var @namespace = NamespaceOf(type);
            if (!isRelevantNamespace(@namespace))
            {
                return;
            }

            var target = ReportedType(type);
            var source = DisplayName(Source);
            var targetName = DisplayName(target);
            if (targetName == source)
            {
                return;
            }

            var assembly = type.Scope switch
            {
                AssemblyNameReference name => name.Name,
                ModuleDefinition definition => definition.Assembly.Name.Name,
                _ => module.Assembly.Name.Name,
            };
            dependencies.Add(new TypeDependency(source, NamespaceOf(Source), targetName, @namespace, assembly));
        }

        /// <summary>A compiler-generated nested type stands for its declaring type.</summary>
        private static TypeReference ReportedType(TypeReference type)
        {
            while (type.DeclaringType is not null && type.Name.StartsWith('<'))
            {
                type = type.DeclaringType;
            }

            return type;
        }
    }

    /// <summary>Resolves references from the assembly's own folder first, then from the running process's trusted
    /// platform assemblies (the shared frameworks the test host runs on), so attribute blobs with enum arguments parse.</summary>
    private sealed class TrustedPlatformResolver : DefaultAssemblyResolver
    {
        public TrustedPlatformResolver(string directory)
        {
            foreach (var existing in GetSearchDirectories())
            {
                RemoveSearchDirectory(existing);
            }

            AddSearchDirectory(directory);
            var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(Path.GetDirectoryName)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal);
            foreach (var folder in trusted)
            {
                AddSearchDirectory(folder);
            }
        }
    }
}

/// <summary>A set of namespaces that all reach each other through uses (a strongly connected component), with cycles that
/// show how.</summary>
/// <param name="Members">All namespaces of the component, ordinal order.</param>
/// <param name="Cycles">For each edge of the component that <c>isSuspect</c> picks, a shortest cycle through it (rotated
/// to start at that edge's source; duplicates dropped): Path[0] -> Path[1] -> … -> Path[0].</param>
internal sealed record NamespaceCycle(IReadOnlyList<string> Members, IReadOnlyList<IReadOnlyList<string>> Cycles);

internal static class NamespaceCycles
{
    /// <summary>The strongly connected components with more than one namespace (Tarjan), each with the shortest cycle
    /// through every edge that <paramref name="isSuspect"/> picks (every cycle must contain one: e.g. the edges that do
    /// not go to a strictly lower layer).</summary>
    public static IReadOnlyList<NamespaceCycle> Find(IEnumerable<TypeDependency> uses, Func<string, string, bool> isSuspect)
    {
        var edges = uses
            .Where(u => u.SourceNamespace != u.TargetNamespace)
            .GroupBy(u => u.SourceNamespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(u => u.TargetNamespace).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var nodes = edges.Keys.Concat(edges.Values.SelectMany(v => v)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLink = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Connect(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Connect(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[node] = Math.Min(lowLink[node], nextIndex);
                }
            }

            if (lowLink[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
        {
            Connect(node);
        }

        var result = new List<NamespaceCycle>();
        foreach (var component in components.Where(c => c.Count > 1).Select(c => c.Order(StringComparer.Ordinal).ToList()).OrderBy(c => c[0], StringComparer.Ordinal))
        {
            var members = component.ToHashSet(StringComparer.Ordinal);
            var cycles = new List<IReadOnlyList<string>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var from in component)
            {
                foreach (var to in (edges.GetValueOrDefault(from) ?? []).Where(members.Contains))
                {
                    if (!isSuspect(from, to))
                    {
                        continue;
                    }

                    var cycle = new List<string> { from };
                    cycle.AddRange(ShortestPath(to, from, members, edges).SkipLast(1));
                    var smallest = cycle.Order(StringComparer.Ordinal).First();
                    var canonical = string.Join(" -> ", cycle.Skip(cycle.IndexOf(smallest)).Concat(cycle.Take(cycle.IndexOf(smallest))));
                    if (seen.Add(canonical))
                    {
                        cycles.Add(cycle);
                    }
                }
            }

            result.Add(new NamespaceCycle(component, cycles));
        }

        return result;
    }

    /// <summary>Breadth-first from <paramref name="start"/> to <paramref name="goal"/> inside one component: the nodes
    /// from <paramref name="start"/> to <paramref name="goal"/>, both included.</summary>
    private static List<string> ShortestPath(string start, string goal, HashSet<string> component, Dictionary<string, List<string>> edges)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal) { [start] = start };
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node == goal)
            {
                var path = new List<string> { goal };
                while (path[^1] != start)
                {
                    path.Add(parent[path[^1]]);
                }

                path.Reverse();
                return path;
            }

            foreach (var next in (edges.GetValueOrDefault(node) ?? []).Where(component.Contains))
            {
                if (parent.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException($"{goal} is in the strongly connected component of {start} but not reachable from it");
    }
}
