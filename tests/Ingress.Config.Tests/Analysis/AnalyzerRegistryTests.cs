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
        Assert.Equal(23, names.Count);
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

        var reported = AnalyzerRegistry.All.SelectMany(a => a.Codes).ToHashSet();
        Assert.All(Messages.All, m => Assert.Contains(m.Code, reported));
    }

    [Fact]
    public void Every_catalogue_entry_is_documented_in_docs_analyzers_md()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "analyzers.md"));

        Assert.All(Messages.All, m => Assert.Contains($"| {m.Code} | {m.Name} | {m.Severity} |", doc, StringComparison.Ordinal));
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
}
