using Ingress.Config.Diagnostics;

namespace Ingress.Config.Analysis;

/// <summary>Every analyzer, sorted by name, and the one way to run them.</summary>
public static class AnalyzerRegistry
{
    /// <summary>All analyzers, sorted by <see cref="IAnalyzer.Name"/>. (The analyzers land with their own change.)</summary>
    public static IReadOnlyList<IAnalyzer> All { get; } = [];

    /// <summary>Runs <paramref name="analyzers"/> (all by default) and returns their findings.</summary>
    public static IReadOnlyList<Diagnostic> Run(AnalysisContext context, IEnumerable<IAnalyzer>? analyzers = null) =>
        (analyzers ?? All).SelectMany(analyzer => analyzer.Analyze(context)).Distinct().ToList();
}
