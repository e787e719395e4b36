using System.Diagnostics;
using Ingress.Config.Loading;
using Ingress.Config.Schema;

namespace Ingress.Config.Tests.Schema;

/// <summary>The project's own manifests and fixtures, checked against the upstream CRDs themselves.</summary>
public sealed class ManifestConformanceTests
{
    private const string NilOneOfPrefix = "<nil>: Invalid value: \"\": ";

    private static string SchemaFixtures => Path.Combine(RepoPaths.Fixtures, "schema");

    [SchemaFact]
    public void Deploy_kit_validates_against_the_CRDs()
    {
        var errors = new List<string>();
        var checkedDocuments = 0;
        foreach (var (source, yaml) in DeployKitManifests())
        {
            errors.AddRange(ManifestCheck.Run(yaml, source, out var count));
            checkedDocuments += count;
        }

        Assert.True(errors.Count == 0, string.Join("\n", errors));
        // The kit has Istio and cert-manager objects; a walk that checks none of them proves nothing.
        Assert.True(checkedDocuments >= 10, $"only {checkedDocuments} documents of the deploy kit had a CRD to check against");
    }

    [SchemaFact]
    public void The_users_seed_manifests_validate_against_the_CRDs()
    {
        var errors = new List<string>();
        var checkedDocuments = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Fixtures, "seed"), "*.yaml").Order(StringComparer.Ordinal))
        {
            errors.AddRange(ManifestCheck.Run(File.ReadAllText(file), Path.GetFileName(file), out var count));
            checkedDocuments += count;
        }

        Assert.Equal([], errors);
        Assert.Equal(4, checkedDocuments);
    }

    public static TheoryData<string> ValidFixtures() => Files("valid");

    public static TheoryData<string> InvalidFixtures() => Files("invalid");

    [SchemaTheory]
    [MemberData(nameof(ValidFixtures))]
    public void Valid_fixture_passes_the_CRDs_the_loader_and_ingress_validate(string fixture)
    {
        var file = Path.Combine(SchemaFixtures, fixture);
        var yaml = File.ReadAllText(file);

        Assert.Equal([], ManifestCheck.Run(yaml, Path.GetFileName(file), out var count));
        Assert.True(count > 0, "the fixture has no document of a kind with a CRD");
        var loaded = ConfigLoader.LoadText(yaml, Path.GetFileName(file), new LoadOptions());
        Assert.Equal([], loaded.Diagnostics.Select(d => d.ToString()));
        Assert.Equal([], loaded.Config.Resources.SelectMany(StructuralValidator.Validate).Select(d => d.ToString()));
    }

    [SchemaTheory]
    [MemberData(nameof(InvalidFixtures))]
    public void Invalid_fixture_fails_the_CRDs_and_ingress_validate_with_the_expected_messages(string fixture)
    {
        var file = Path.Combine(SchemaFixtures, fixture);
        var yaml = File.ReadAllText(file);
        var lines = yaml.Split('\n');
        var structural = lines.Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal)).Select(l => l["# expect: ".Length..].TrimEnd()).ToList();
        var cel = lines.Where(l => l.StartsWith("# expect-cel: ", StringComparison.Ordinal)).Select(l => l["# expect-cel: ".Length..].TrimEnd()).ToList();
        Assert.NotEmpty(structural.Concat(cel));

        // The API server's structural checks, straight from the CRD (CEL rules need a CEL engine: not here).
        var fromCrd = ManifestCheck.Run(yaml, "f", out _).Select(e => e[(e.IndexOf(": ", e.IndexOf(": ", StringComparison.Ordinal) + 2, StringComparison.Ordinal) + 2)..]);
        Assert.Equal(structural.Order(StringComparer.Ordinal), fromCrd.Order(StringComparer.Ordinal));

        // ingress validate: the same messages (the oneOf one without the API server's meaningless "<nil>" prefix)
        // plus the CEL rules, each at the file and line of its field.
        var loaded = ConfigLoader.LoadText(yaml, Path.GetFileName(file), new LoadOptions());
        Assert.Equal([], loaded.Diagnostics.Select(d => d.ToString()));
        var resource = Assert.Single(loaded.Config.Resources);
        var findings = StructuralValidator.Validate(resource);
        Assert.Equal(
            structural.Select(m => m.StartsWith(NilOneOfPrefix, StringComparison.Ordinal) ? m[NilOneOfPrefix.Length..] : m)
                .Concat(cel).Order(StringComparer.Ordinal),
            findings.Select(d => d.Message).Order(StringComparer.Ordinal));
        Assert.All(findings, d => Assert.Equal(resource.LocationOf(d.FieldPath!), d.Location));
        Assert.All(findings, d => Assert.True(d.Location.Line > 0, $"{d.Message} has no line"));
    }

    private static TheoryData<string> Files(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(SchemaFixtures, folder), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add($"{folder}/{Path.GetFileName(file)}");
        }

        return data;
    }

    /// <summary>The overlays as kustomize renders them when kubectl is installed; otherwise the raw files.</summary>
    private static IEnumerable<(string Source, string Yaml)> DeployKitManifests()
    {
        var deploy = Path.Combine(RepoPaths.Root, "deploy");
        var overlays = Path.Combine(deploy, "overlays");
        if (Kubectl() is { } kubectl && Directory.Exists(overlays))
        {
            foreach (var overlay in Directory.GetFiles(overlays, "kustomization.yaml", SearchOption.AllDirectories)
                         .Select(Path.GetDirectoryName).Order(StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(overlays, overlay!).Replace('\\', '/');
                yield return ($"kubectl kustomize deploy/overlays/{name}", Render(kubectl, overlay!));
            }

            yield break;
        }

        foreach (var file in Directory.GetFiles(deploy, "*.yaml", SearchOption.AllDirectories)
                     .Where(f => Path.GetFileName(f) != "kustomization.yaml").Order(StringComparer.Ordinal))
        {
            yield return (Path.GetRelativePath(RepoPaths.Root, file), File.ReadAllText(file));
        }
    }

    private static string? Kubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "kubectl"))
            .FirstOrDefault(File.Exists);

    private static string Render(string kubectl, string overlay)
    {
        var start = new ProcessStartInfo(kubectl, ["kustomize", overlay])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), $"kubectl kustomize {overlay} did not finish");
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay} failed: {error.Result}");
        return output.Result;
    }
}
