namespace Ingress.Cli.Tests.Commands;

public class ValidateCommandTests
{
    private const string DuplicateUri = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web
        spec:
          hosts: [web.example.com]
          gateways: [istio-system/web-gw]
          http:
          - match:
            - uri:
                exact: /test/hello
              uri:
                prefix: /test/metrics
            route:
            - destination: {host: web}

        """;

    private const string UppercaseHeader = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web, namespace: apps}
        spec:
          hosts: [web.example.com]
          gateways: [istio-system/web-gw]
          http:
          - match: [{headers: {X-User: {exact: bob}}}]
            route: [{destination: {host: web}}]

        """;

    [Fact]
    public void Passes_the_users_seed_manifests_with_exit_code_0()
    {
        var run = CliRun.Of("validate", Path.Combine(CliRun.Fixtures, "seed"), "-n", "istio-system");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("\u2714 No validation issues found when analyzing namespace: istio-system.\n", run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Reads_standard_input_and_fails_with_79_on_a_duplicated_key()
    {
        var run = CliRun.WithInput(DuplicateUri, "validate", "-");

        Assert.Equal(79, run.ExitCode);
        Assert.Equal(
            "Error [ING0003] (VirtualService default/web <stdin>:12) duplicate key \"uri\" in " +
            "spec.http[0].match[0] (lines 10 and 12): YAML keeps only the last value, so the one on line 10 is silently " +
            "ignored. Keep one, or make them separate list items if both were meant\n",
            run.Out);
        Assert.Equal(
            "Error: Validation found issues when analyzing namespace: default.\n" +
            "See docs/analyzers.md for what each code means and how to fix it.\n",
            run.Error);
    }

    [Fact]
    public void Exits_65_when_a_path_does_not_exist()
    {
        var run = CliRun.Of("validate", "no-such-dir/vs.yaml");

        Assert.Equal(65, run.ExitCode);
        Assert.Equal("no-such-dir/vs.yaml: Error [ING0001] no such file or folder; give YAML files, folders, or - for standard input\n", run.Out);
        Assert.Equal("Error: some input could not be read (see the findings above); fix it and run again.\n", run.Error);
    }

    [Fact]
    public void Exits_65_on_a_yaml_syntax_error_and_names_file_line_and_column()
    {
        var run = CliRun.WithInput("apiVersion: v1\nkind: [Secret\n", "validate", "-");

        Assert.Equal(65, run.ExitCode);
        Assert.StartsWith("<stdin>:3:1: Error [ING0002] YAML syntax error: ", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Exits_64_with_a_hint_when_given_nothing_to_check()
    {
        var run = CliRun.Of("validate");

        Assert.Equal(64, run.ExitCode);
        Assert.Equal(
            "ingress validate: nothing to check. Give YAML files or folders, or - to read standard input, e.g.\n" +
            "  ingress validate deploy/\n  kubectl kustomize deploy/overlays/local | ingress validate -\n",
            run.Error);
    }

    [Fact]
    public void Prints_a_warning_but_passes_at_the_default_failure_threshold()
    {
        var run = CliRun.WithInput(UppercaseHeader, "validate", "-");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "Warning [ING1220] (VirtualService apps/web <stdin>:8) spec.http[0].match[0].headers.X-User: header name " +
            "X-User should be lower-case (Istio's API requires lower-case header keys): write x-user\n",
            run.Out);
    }

    [Fact]
    public void Fails_on_a_warning_with_failure_threshold_warning()
    {
        Assert.Equal(79, CliRun.WithInput(UppercaseHeader, "validate", "-", "--failure-threshold", "Warning").ExitCode);
    }

    [Fact]
    public void Hides_findings_below_the_output_threshold()
    {
        var run = CliRun.WithInput(UppercaseHeader, "validate", "-", "--output-threshold", "Error");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("\u2714 No validation issues found when analyzing namespace: default.\n", run.Out);
    }

    [Theory]
    [InlineData("ING1220=VirtualService apps/web")]
    [InlineData("ING1220=VirtualService web.apps")]
    [InlineData("ING12*=*")]
    public void Suppresses_a_code_on_a_resource(string suppression)
    {
        var run = CliRun.WithInput(UppercaseHeader, "validate", "-", "--suppress", suppression, "--failure-threshold", "Warning");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("\u2714 No validation issues found when analyzing namespace: default.\n", run.Out);
    }

    [Fact]
    public void Does_not_suppress_another_resource()
    {
        var run = CliRun.WithInput(UppercaseHeader, "validate", "-", "--suppress", "ING1220=VirtualService apps/other");

        Assert.Contains("[ING1220]", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_json_with_istioctl_field_names()
    {
        var run = CliRun.WithInput(UppercaseHeader, "validate", "-", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            [
              {
                "code": "ING1220",
                "level": "Warning",
                "origin": "VirtualService apps/web",
                "reference": "<stdin>:8",
                "path": "spec.http[0].match[0].headers.X-User",
                "message": "spec.http[0].match[0].headers.X-User: header name X-User should be lower-case (Istio's API requires lower-case header keys): write x-user"
              }
            ]

            """,
            run.Out);
    }

    [Fact]
    public void Writes_yaml()
    {
        var run = CliRun.WithInput(UppercaseHeader, "validate", "-", "-o", "yaml");

        Assert.Equal(
            "- code: ING1220\n  level: Warning\n  origin: VirtualService apps/web\n  reference: <stdin>:8\n" +
            "  path: spec.http[0].match[0].headers.X-User\n" +
            "  message: \"spec.http[0].match[0].headers.X-User: header name X-User should be lower-case (Istio's API requires lower-case header keys): write x-user\"\n",
            run.Out);
    }

    [Fact]
    public void Writes_an_empty_json_array_when_clean()
    {
        var run = CliRun.Of("validate", "-o", "json", Path.Combine(CliRun.Fixtures, "seed"));

        Assert.Equal((0, "[]\n"), (run.ExitCode, run.Out));
    }

    [Fact]
    public void Accepts_repeated_filename_options_like_istioctl()
    {
        var seed = Path.Combine(CliRun.Fixtures, "seed");
        var run = CliRun.Of("validate", "-f", Path.Combine(seed, "istio-cert.yaml"), "-f", Path.Combine(seed, "istio-issuer.yaml"));

        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void Explains_itself_in_help()
    {
        var run = CliRun.Of("validate", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Check each resource on its own, as the Kubernetes API server and Istio's admission webhook would", run.Out, StringComparison.Ordinal);
        Assert.Contains("--failure-threshold", run.Out, StringComparison.Ordinal);
        Assert.Contains("CODE=Kind name", run.Out, StringComparison.Ordinal);
    }
}
