using ArchUnitNET.Loader;
using Ingress.Config.Analysis;
using Ingress.LocalGateway;

namespace Ingress.Cli.Tests.Architecture;

/// <summary>
/// No namespace of a project depends, through others, on itself: a folder can then be read (and moved) without the
/// rest, which is what lets a newcomer find a feature by its folder's name. Read from the compiled code (every type
/// a type's signatures and method bodies use). A namespace using its own ancestor is not counted: that is a part
/// plugging into the abstractions it belongs to (an analyzer into the analyzer registry), not a back-reference.
/// </summary>
public sealed class NamespaceCycleTests
{
    public static TheoryData<string> Projects => ["Ingress.Config", "Ingress.LocalGateway", "Ingress.Cli"];

    [Theory]
    [MemberData(nameof(Projects))]
    public void Namespaces_are_free_of_cycles(string project)
    {
        var graph = NamespaceGraph(project);

        var cycles = StronglyConnected(graph).Where(c => c.Count > 1)
            .Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal))).ToList();

        Assert.NotEmpty(graph);
        Assert.Empty(cycles);
    }

    private static Dictionary<string, HashSet<string>> NamespaceGraph(string project)
    {
        var assembly = project switch
        {
            "Ingress.Config" => typeof(Messages).Assembly,
            "Ingress.LocalGateway" => typeof(GatewayOptions).Assembly,
            _ => typeof(ExitCodes).Assembly,
        };
        var architecture = new ArchLoader().LoadAssemblies(assembly).Build();
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in architecture.Types.Where(t => t.Assembly?.FullName == assembly.FullName && t.Namespace is not null && Owned(t.Namespace.FullName, project)))
        {
            var from = type.Namespace.FullName;
            var edges = graph.TryGetValue(from, out var set) ? set : graph[from] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var to in type.Dependencies.Select(d => d.Target?.Namespace?.FullName).OfType<string>().Where(n => Owned(n, project)))
            {
                if (to != from && !from.StartsWith(to + ".", StringComparison.Ordinal))
                {
                    edges.Add(to);
                }
            }
        }

        return graph;
    }

    private static bool Owned(string ns, string project) =>
        ns == project || ns.StartsWith(project + ".", StringComparison.Ordinal);

    // Tarjan's strongly connected components.
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.TryGetValue(w, out var visited))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], visited);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                components.Add(component);
            }
        }

        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return components;
    }
}
