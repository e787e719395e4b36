using System.Text.RegularExpressions;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.Docs;

/// <summary>The README gives a newcomer the two commands and a working link to every document.</summary>
public sealed partial class ReadmeTests
{
    private static string Readme => File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "README.md"));

    [Fact]
    public void Gives_the_run_and_test_commands_as_code_blocks()
    {
        Assert.Contains("```bash\ndotnet run --project src/Ingress.Cli -- up\n```", Readme, StringComparison.Ordinal);
        Assert.Contains("```bash\ndotnet test Ingress.slnx\n```", Readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_relative_link_points_to_an_existing_file()
    {
        var links = Link().Matches(Readme).Select(m => m.Groups["target"].Value)
            .Where(t => !t.Contains("://", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(links);
        Assert.All(links, target => Assert.True(
            File.Exists(Path.Combine(RepositoryPaths.RepositoryRoot, target.Split('#')[0])), $"README links to {target}, which does not exist"));
    }

    [Fact]
    public void Links_every_document_in_docs()
    {
        var docs = Directory.GetFiles(Path.Combine(RepositoryPaths.RepositoryRoot, "docs"), "*.md").Select(Path.GetFileName);

        Assert.All(docs, doc => Assert.True(
            Readme.Contains($"](docs/{doc})", StringComparison.Ordinal),
            $"README.md does not link docs/{doc}: add it to the README's Documents list with one line saying what it is"));
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();
}
