using System.Reflection;
using System.Text.RegularExpressions;
using Ingress.Cli.Tests.DeployKit;
using Ingress.Config.Analysis;
using Ingress.LocalGateway;

namespace Ingress.Cli.Tests.Architecture;

/// <summary>
/// Every finding code (ING…, IST…) is defined once, in a catalogue, and documented: a code means one thing to a user
/// who greps the docs or a log for it, and a second definition is how two findings came to share ING0240 once.
/// </summary>
public sealed partial class DiagnosticCodeCatalogueTests
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(Messages).Assembly,                  // Ingress.Config
        typeof(GatewayOptions).Assembly,            // Ingress.LocalGateway
        typeof(ExitCodes).Assembly,                 // ingress (Ingress.Cli)
    ];

    [Fact]
    public void Every_code_is_defined_by_exactly_one_catalogue_field()
    {
        var definitions = CatalogueFields().GroupBy(d => d.Code).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => d.Field))}").ToList();

        Assert.Empty(definitions);
    }

    [Fact]
    public void No_source_file_writes_a_code_outside_a_catalogue_definition()
    {
        var src = Path.Combine(RepositoryPaths.RepositoryRoot, "src");
        var strays = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                              && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (CodeLiteral().IsMatch(lines[i]) && !CatalogueLine().IsMatch(lines[i]))
                {
                    strays.Add($"{Path.GetRelativePath(src, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.Empty(strays);
    }

    [Fact]
    public void Every_code_is_documented()
    {
        var docs = string.Concat(Directory.EnumerateFiles(Path.Combine(RepositoryPaths.RepositoryRoot, "docs"), "*.md")
            .Select(File.ReadAllText));
        var undocumented = CatalogueFields().Where(d => !docs.Contains(d.Code, StringComparison.Ordinal))
            .Select(d => $"{d.Code} ({d.Field})").ToList();

        Assert.Empty(undocumented);
    }

    [Fact]
    public void The_catalogues_are_found()
    {
        // Guards the three tests above against a reflection walk that silently finds nothing.
        var codes = CatalogueFields().Select(d => d.Code).ToHashSet();
        Assert.Contains(Messages.ReferencedResourceNotFound.Code, codes);
        Assert.Contains(LocalGateway.Compile.GatewayCodes.Unsupported, codes);
        Assert.Contains(LocalGateway.Hosting.Reload.ReloadCodes.EmptyConfig, codes);
        Assert.Contains(Config.Loading.LoaderCodes.SyntaxError, codes);
    }

    private static IEnumerable<(string Code, string Field)> CatalogueFields()
    {
        foreach (var type in Assemblies.SelectMany(a => a.GetTypes()))
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var code = field switch
                {
                    { IsLiteral: true } when field.FieldType == typeof(string) => field.GetRawConstantValue() as string,
                    { IsInitOnly: true } when field.FieldType == typeof(MessageType) => ((MessageType)field.GetValue(null)!).Code,
                    _ => null,
                };
                if (code is not null && WholeCode().IsMatch(code))
                {
                    yield return (code, $"{type.FullName}.{field.Name}");
                }
            }
        }
    }

    [GeneratedRegex("\"(ING|IST)[0-9]{4}\"")]
    private static partial Regex CodeLiteral();

    // A catalogue entry: `public const string Name = "ING0201";`, or a MessageType's first argument in Messages.
    [GeneratedRegex("""^\s*(public|internal) const string \w+ = "(ING|IST)[0-9]{4}";\s*$|^\s*"(ING|IST)[0-9]{4}", "\w+", Severity\.""")]
    private static partial Regex CatalogueLine();

    [GeneratedRegex("^(ING|IST)[0-9]{4}$")]
    private static partial Regex WholeCode();
}
