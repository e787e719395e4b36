using System.Text.RegularExpressions;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.Docs;

/// <summary>
/// Every skipped test says why in the line the runner prints (issue 14: 13 tests skipped on a clone without the shared
/// folder, with no reason shown): skips go through a Skipping helper, which puts the reason in the test's name,
/// because dotnet test prints a skip reason only at its "detailed" verbosity.
/// </summary>
public sealed partial class SkippedTestsTests
{
    [Fact]
    public void Every_skip_in_the_test_projects_goes_through_a_helper_that_prints_its_reason()
    {
        var tests = Path.Combine(RepositoryPaths.RepositoryRoot, "tests");
        var offenders = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => SkipAssignment().IsMatch(l.Text) && !l.Text.Contains("test.Skip = reason", StringComparison.Ordinal))
            .Select(l => $"{Path.GetRelativePath(tests, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0,
            "skip with Skipping.Skip(this, reason, file, test) so that the reason is printed:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void A_skipped_test_is_named_with_its_reason()
    {
        var fact = new FactAttribute();

        Skipping.Skip(fact, "curl is not installed", "/src/tests/Some/PrintedCommandsTests.cs", "Runs_the_printed_command");

        Assert.Equal("curl is not installed", fact.Skip);
        Assert.Equal("PrintedCommandsTests.Runs_the_printed_command (skipped: curl is not installed)", fact.DisplayName);
    }

    [GeneratedRegex(@"\bSkip\s*=(?!=)")]
    private static partial Regex SkipAssignment();
}
