using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;
using Ingress.Config.Validation;

namespace Ingress.Config.Tests.Validation.Istio;

/// <summary>
/// How the Istio tables are checked, as Istio's own validation tests check theirs: an input resource and either
/// "valid" (no error and no warning) or the exact findings, one per line, <c>Severity CODE field.path: message</c>.
/// </summary>
internal static class IstioTable
{
    /// <summary>The outcome of validating <paramref name="yaml"/>: "valid", or its findings one per line.</summary>
    public static string Outcome(string yaml)
    {
        var loaded = ConfigLoader.LoadText(yaml.ReplaceLineEndings("\n"), "case.yaml", new LoadOptions());
        Assert.Empty(loaded.Diagnostics);
        var findings = ConfigValidator.Validate(loaded.Config);
        return findings.Count == 0 ? Valid : string.Join("\n", findings.Select(Line));
    }

    public const string Valid = "valid";

    /// <summary>Compares outcomes and, when they differ, shows both in full (xunit shortens long strings).</summary>
    public static void Check(string expected, string yaml)
    {
        var actual = Outcome(yaml);
        Assert.True(expected == actual, $"expected:\n{expected}\nactual:\n{actual}");
    }

    private static string Line(Diagnostic d) => $"{d.Severity} {d.Code} {d.Message}";

    /// <summary>A Gateway whose only server is <paramref name="server"/> (the server's keys, one per line).</summary>
    public static string Gateway(string server) => $$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
        {{ListItem(server, 2)}}
        """;

    private static string ListItem(string body, int indent)
    {
        var lines = body.ReplaceLineEndings("\n").Split('\n');
        var pad = new string(' ', indent);
        return string.Join("\n", lines.Select((line, i) => (i == 0 ? pad + "- " : pad + "  ") + line));
    }

    /// <summary>A VirtualService with the given spec lines (indented under <c>spec:</c>).</summary>
    public static string VirtualService(string spec) => $$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: default}
        spec:
        {{Indent(spec)}}
        """;

    /// <summary>A resource of <paramref name="kind"/> in security.istio.io with the given spec (and optional metadata lines).</summary>
    public static string Security(string kind, string spec, string metadata = "") => $$"""
        apiVersion: security.istio.io/v1
        kind: {{kind}}
        metadata:
          name: policy
          namespace: default
        {{Indent(metadata)}}
        spec:
        {{Indent(spec)}}
        """;

    private static string Indent(string text) =>
        string.Join("\n", text.ReplaceLineEndings("\n").Split('\n').Select(line => line.Length == 0 ? line : "  " + line));
}
