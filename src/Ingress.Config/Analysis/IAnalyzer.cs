using Ingress.Config.Diagnostics;

namespace Ingress.Config.Analysis;

/// <summary>One cross-resource check over everything loaded together, like an <c>istioctl analyze</c> analyzer.</summary>
public interface IAnalyzer
{
    /// <summary>A stable name, <c>area.WhatItChecks</c> (e.g. <c>gateway.SecretAnalyzer</c>).</summary>
    string Name { get; }

    /// <summary>One sentence saying what the analyzer checks.</summary>
    string Description { get; }

    /// <summary>The message codes this analyzer can report.</summary>
    IReadOnlyList<string> Codes { get; }

    /// <summary>The kinds it reads.</summary>
    IReadOnlyList<string> InputKinds { get; }

    /// <summary>Every finding about the configuration in <paramref name="context"/>.</summary>
    IEnumerable<Diagnostic> Analyze(AnalysisContext context);
}
