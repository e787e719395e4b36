using System.Text.RegularExpressions;

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>tests/fixtures/seed holds the user's own manifests exactly as the homework shows them.</summary>
public sealed partial class SeedFixtureTests
{
    [SharedFact]
    public void Seed_fixtures_are_the_users_manifests_verbatim()
    {
        var homework = File.ReadAllText(Path.Combine(RepositoryPaths.SharedFolder!, "seed-homework.md"));
        var blocks = YamlBlock().Matches(homework).Select(m => m.Groups[1].Value).ToList();
        string[] files =
        [
            "httpserver-deployment-service.yaml",
            "httpserver-virtualservice-gateway.yaml",
            "istio-issuer.yaml",
            "istio-cert.yaml",
        ];

        Assert.Equal(files.Length, blocks.Count);
        for (var i = 0; i < files.Length; i++)
        {
            var fixture = File.ReadAllText(Path.Combine(RepositoryPaths.Fixtures, "seed", files[i]));
            Assert.Equal(blocks[i], fixture);
        }
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
