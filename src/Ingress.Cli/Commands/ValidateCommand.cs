using System.CommandLine;
using Ingress.Cli.Checking;
using Ingress.Config.Validation;

namespace Ingress.Cli.Commands;

/// <summary><c>ingress validate</c>: what the Kubernetes API server and Istio's admission webhook would refuse.</summary>
public static class ValidateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliConsole console)
    {
        var options = new CheckOptions();
        var command = new Command(
            "validate",
            "Check each resource on its own, as the Kubernetes API server and Istio's admission webhook would when you " +
            "kubectl apply it: YAML syntax, duplicate keys, unknown fields, wrong types, and Istio's own rules (hosts, " +
            "ports, TLS settings, regexes, redirects, weights, durations...). Exit code 0: clean; 79: findings at or " +
            "above --failure-threshold; 65: input that cannot be read.");
        options.AddTo(command);
        command.SetAction(parse => CheckCommand.Run(options, parse, console, "validate", ConfigValidator.Validate));
        return command;
    }
}
