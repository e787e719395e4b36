using System.Text.Json;

namespace Ingress.Cli.Tests.Commands;

/// <summary>
/// Issue 14, "the CLI refuses what is wrong": empty input, unknown options, bad option values, readable JSON, and the
/// YAML bombs, each with the exit code of the table in docs/cli.md.
/// </summary>
public sealed class CommandLineRefusalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-refusal").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Seed => Path.Combine(CliRun.Fixtures, "seed");

    [Theory]
    [InlineData("analyze")]
    [InlineData("validate")]
    public void Empty_standard_input_is_an_error_with_exit_65_not_no_issues_found(string command)
    {
        // kubectl kustomize deploy/overlays/dve | ingress analyze -   (a typo: kustomize fails, nothing is piped)
        var run = CliRun.WithInput("", command, "-");

        Assert.Equal(65, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(
            "Error: no resources in the input (<stdin>): nothing to check. If it was piped in, the command before the | " +
            "may have failed; check its error above.\n",
            run.Error);
    }

    [Fact]
    public void A_folder_of_comments_only_holds_no_resources_either()
    {
        File.WriteAllText(Path.Combine(_dir, "empty.yaml"), "# nothing yet\n---\n");

        var run = CliRun.Of("analyze", "-o", "json", _dir);

        Assert.Equal((65, ""), (run.ExitCode, run.Out));
        Assert.StartsWith($"Error: no resources in the input ({_dir}): nothing to check.", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("routes", "-f", "-")]
    [InlineData("gateway", "-f", "-", "--admin", "127.0.0.1:0", "--listen", "8080=127.0.0.1:0")]
    [InlineData("sidecar", "-f", "-", "--workload", "httpserver/httpserver", "--listen", "127.0.0.1:0", "--forward", "http://127.0.0.1:5080")]
    public void The_proxies_refuse_empty_input_with_validates_message_and_exit_65(params string[] args)
    {
        // The gateway and the sidecar share the refusal (the reload core's, the same as when an emptied file would
        // replace a serving config); started, either would report ready with nothing behind it.
        var run = CliRun.WithInput("", args);

        Assert.Equal((65, ""), (run.ExitCode, run.Out));
        Assert.EndsWith(
            "error: no resources in the input (<stdin>): nothing to check. If it was piped in, the command before the | " +
            "may have failed; check its error above.\n",
            run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analyze")]
    [InlineData("validate")]
    public void An_unknown_option_is_a_usage_error_never_a_file_name(string command)
    {
        var run = CliRun.Of(command, "--bogus", Seed);

        Assert.Equal(64, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(
            $"ingress {command}: unknown option '--bogus' (a file whose name starts with '-' is written ./--bogus, or after --)\n" +
            $"Run 'ingress {command} --help' for the options.\n",
            run.Error);
    }

    [Fact]
    public void After_a_double_dash_a_word_starting_with_a_dash_is_a_path()
    {
        var run = CliRun.Of("validate", "--", "--bogus");

        Assert.Equal(65, run.ExitCode);
        Assert.Equal("--bogus: Error [ING0001] no such file or folder; give YAML files, folders, or - for standard input\n", run.Out);
    }

    [Theory]
    [InlineData("gateway", "-f", "x.yaml", "--bogus")]
    [InlineData("sidecar", "-f", "x.yaml", "--bogus")]
    [InlineData("routes", "-f", "x.yaml", "--bogus")]
    [InlineData("up", "--bogus")]
    [InlineData("gateway")]
    [InlineData("frobnicate")]
    public void Every_command_refuses_a_malformed_command_line_with_64(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(64, run.ExitCode);
        Assert.EndsWith("--help' for the options.\n", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analyze -o xml", "ingress analyze: --output 'xml': expected one of text, json, yaml")]
    [InlineData("validate --failure-threshold fatal", "ingress validate: --failure-threshold 'fatal': expected one of Info, Warning, Error")]
    [InlineData("validate --output-threshold none", "ingress validate: --output-threshold 'none': expected one of Info, Warning, Error")]
    [InlineData("gateway -f x.yaml --access-log xml", "ingress gateway: --access-log 'xml': expected one of text, json, off")]
    [InlineData("routes -f x.yaml -o yaml", "ingress routes: --output 'yaml': expected one of text, json")]
    public void A_bad_option_value_lists_the_allowed_ones(string commandLine, string expected)
    {
        var args = commandLine.Split(' ');

        var run = CliRun.Of([.. args, .. args[0] is "analyze" or "validate" ? [Seed] : Array.Empty<string>()]);

        Assert.Equal(64, run.ExitCode);
        Assert.Equal($"{expected}\nRun 'ingress {args[0]} --help' for the options.\n", run.Error);
    }

    [Fact]
    public void Option_words_are_read_in_any_case()
    {
        var run = CliRun.Of("validate", "-o", "JSON", "--failure-threshold", "warning", Seed, "-n", "istio-system");

        Assert.Equal((0, "[]\n"), (run.ExitCode, run.Out));
    }

    [Fact]
    public void Json_output_keeps_quotes_and_non_ascii_readable_and_is_valid_json()
    {
        var file = Path.Combine(_dir, "überprüfung.yaml");
        File.Copy(Path.Combine(Seed, "httpserver-virtualservice-gateway.yaml"), file);

        var run = CliRun.Of("analyze", "-o", "json", file);

        Assert.Equal(79, run.ExitCode);
        Assert.DoesNotContain("\\u", run.Out, StringComparison.Ordinal);
        Assert.Contains($"\"reference\": \"{file}:48\"", run.Out, StringComparison.Ordinal);
        Assert.Contains("\"message\": \"Referenced credentialName not found: \\\"httpserver-credential\\\".", run.Out, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(run.Out);
        var first = Assert.Single(parsed.RootElement.EnumerateArray());
        Assert.Equal(file + ":48", first.GetProperty("reference").GetString());
        Assert.StartsWith("Referenced credentialName not found: \"httpserver-credential\".", first.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("analyze")]
    public void A_billion_laughs_file_is_refused_at_once_with_ING0010_at_its_line(string command)
    {
        var file = Path.Combine(CliRun.Fixtures, "limits", "billion-laughs.yaml");

        var run = CliRun.Of(command, file);

        Assert.Equal(65, run.ExitCode);
        Assert.StartsWith($"{file}:11:12: Error [ING0010] the document's aliases expand it to 2,362 nodes or more", run.Out, StringComparison.Ordinal);
        Assert.Equal("Error: some input could not be read (see the findings above); fix it and run again.\n", run.Error);
    }

    [Theory]
    [InlineData("validate", 15_000)]
    [InlineData("analyze", 15_000)]
    [InlineData("validate", 100_000)]
    public void Brackets_nested_thousands_deep_are_refused_with_ING0009_not_a_stack_overflow(string command, int depth)
    {
        var run = CliRun.WithInput(new string('[', depth), command, "-");

        Assert.Equal(65, run.ExitCode);
        Assert.StartsWith("<stdin>:1:257: Error [ING0009] the YAML is nested more than 256 levels deep", run.Out, StringComparison.Ordinal);
    }
}
