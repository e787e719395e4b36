using Ingress.Config.Analysis;
using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;

namespace Ingress.Config.Tests.Analysis;

/// <summary>
/// The table of analysis cases: each folder under <c>cases/</c> holds the YAML a user would give
/// <c>ingress analyze</c> and <c>expected.txt</c>, every finding it must produce (loader and analyzers), one per line:
/// <c>Severity [CODE] (Kind ns/name file:line) field.path: message</c>. Nothing more, nothing less. A new case can start
/// with an empty expected.txt: <c>UPDATE_GOLDEN=1 dotnet test tests/Ingress.Config.Tests --filter AnalysisCase</c> fills
/// it in, to be read line by line before it is committed.
/// </summary>
public class AnalysisCaseTests
{
    private static readonly string CasesRoot =
        Path.Combine(RepoPaths.Root, "tests", "Ingress.Config.Tests", "Analysis", "cases");

    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var dir in Directory.GetDirectories(CasesRoot).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(dir));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_reports_exactly_its_expected_findings(string name)
    {
        var dir = Path.Combine(CasesRoot, name);
        var expectedFile = Path.Combine(dir, "expected.txt");
        Assert.True(File.Exists(expectedFile), $"case {name} has no expected.txt");

        var actual = Analyze(dir).Select(d => Format(d, dir)).Order(StringComparer.Ordinal).ToList();
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1" && File.ReadAllText(expectedFile).Length == 0)
        {
            // A new case starts with an empty expected.txt: write what it finds, to review before committing.
            File.WriteAllLines(expectedFile, actual);
        }

        var expected = File.ReadAllLines(expectedFile)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_case_folder_is_listed_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(CasesRoot, "README.md"));
        foreach (var dir in Directory.GetDirectories(CasesRoot))
        {
            Assert.Contains($"`{Path.GetFileName(dir)}`", readme, StringComparison.Ordinal);
        }
    }

    /// <summary>What <c>ingress analyze DIR</c> finds: the loader's findings, then the analyzers'.</summary>
    internal static IEnumerable<Diagnostic> Analyze(string dir)
    {
        var load = ConfigLoader.LoadPaths([dir], new LoadOptions());
        return load.Diagnostics.Concat(AnalyzerRegistry.Run(new AnalysisContext { Config = load.Config }));
    }

    internal static string Format(Diagnostic d, string dir)
    {
        var file = d.Location.Line > 0 ? Path.GetRelativePath(dir, d.Location.File) + ":" + d.Location.Line : d.Location.File;
        var where = d.Resource is null ? file : $"{d.Resource} {file}";
        var path = d.FieldPath is null ? "" : d.FieldPath + ": ";
        return $"{d.Severity} [{d.Code}] ({where}) {path}{d.Message}";
    }
}
