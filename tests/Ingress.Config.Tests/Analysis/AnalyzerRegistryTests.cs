using Ingress.Config.Analysis;

namespace Ingress.Config.Tests.Analysis;

public class AnalyzerRegistryTests
{
    [Fact]
    public void Lists_every_analyzer_once_sorted_by_name()
    {
        var names = AnalyzerRegistry.All.Select(a => a.Name).ToList();

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Equal(33, names.Count);
    }

    [Fact]
    public void Every_code_an_analyzer_reports_is_in_the_catalogue()
    {
        var catalogue = Messages.All.Select(m => m.Code).ToHashSet();

        foreach (var analyzer in AnalyzerRegistry.All)
        {
            Assert.NotEmpty(analyzer.Description);
            Assert.NotEmpty(analyzer.InputKinds);
            Assert.All(analyzer.Codes, code => Assert.Contains(code, catalogue));
        }
    }

    [Fact]
    public void Catalogue_codes_and_names_are_unique_and_every_entry_is_reported_by_some_analyzer()
    {
        Assert.Equal(Messages.All.Count, Messages.All.Select(m => m.Code).Distinct().Count());
        Assert.Equal(Messages.All.Count, Messages.All.Select(m => m.Name).Distinct().Count());

        // IST0001 is reported by the registry itself when an analyzer fails.
        var reported = AnalyzerRegistry.All.SelectMany(a => a.Codes).Append(Messages.InternalError.Code).ToHashSet();
        Assert.All(Messages.All, m => Assert.Contains(m.Code, reported));
    }

    [Fact]
    public void Every_catalogue_entry_is_documented_in_docs_analyzers_md()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "analyzers.md"));

        Assert.All(Messages.All, m => Assert.Contains($"| {m.Code} | {m.Name} | {m.Severity} |", doc, StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_a_failing_analyzer_as_an_internal_error_and_keeps_the_others_findings()
    {
        var config = new Ingress.Config.Model.ConfigSet();
        var findings = AnalyzerRegistry.Run(new AnalysisContext { Config = config }, [new Throwing(), new Constant()]);

        Assert.Equal(
            ["ING2010 Info from Constant", "IST0001 Error Internal error: analyzer test.Throwing failed: boom"],
            findings.Select(d => $"{d.Code} {d.Severity} {d.Message}"));
    }

    [Fact]
    public void Formats_istio_quoting_like_go()
    {
        Assert.Equal("\"a\\\"b\\\\c\"", Messages.Quote("a\"b\\c"));
        Assert.Equal("[80 9090]", Messages.GoList([80, 9090]));
        Assert.Equal(
            "Referenced gateway not found: \"httpsserver-gw\"",
            Messages.ReferencedResourceNotFound.Format("gateway", Messages.Quote("httpsserver-gw")));
    }

    private sealed class Throwing : IAnalyzer
    {
        public string Name => "test.Throwing";
        public string Description => "Fails";
        public IReadOnlyList<string> Codes => [];
        public IReadOnlyList<string> InputKinds => [];
        public IEnumerable<Ingress.Config.Diagnostics.Diagnostic> Analyze(AnalysisContext context) => throw new InvalidOperationException("boom");
    }

    private sealed class Constant : IAnalyzer
    {
        public string Name => "test.Constant";
        public string Description => "Reports one finding";
        public IReadOnlyList<string> Codes => [];
        public IReadOnlyList<string> InputKinds => [];
        public IEnumerable<Ingress.Config.Diagnostics.Diagnostic> Analyze(AnalysisContext context) =>
            [new() { Code = "ING2010", Severity = Ingress.Config.Diagnostics.Severity.Info, Message = "from Constant" }];
    }
}
