using Ingress.Cli.Checking;
using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;
using Ingress.LocalGateway.Hosting.Reload;

namespace Ingress.Cli.Commands;

/// <summary>
/// The exit code and closing line of gateway, routes and sidecar when their config is refused, the same as validate's
/// for the same input: 65 when it cannot be read or holds nothing, 79 when it has errors.
/// </summary>
internal static class ConfigRefusal
{
    public static (int Code, string Message) Of(IEnumerable<Diagnostic> findings, IReadOnlyList<ConfigInput> inputs)
    {
        var codes = findings.Where(d => d.Severity == Severity.Error).Select(d => d.Code).ToList();
        if (codes.Any(LoaderCodes.IsUnreadable))
        {
            return (ExitCodes.UnreadableInput, "error: some input could not be read (see the findings above); fix it and start again");
        }

        return codes.Contains(ReloadCodes.EmptyConfig)
            ? (ExitCodes.UnreadableInput, "error: " + CheckRunner.NoResources(inputs))
            : (ExitCodes.FindingsAboveThreshold, "error: the configuration has errors; fix them and start again");
    }
}
