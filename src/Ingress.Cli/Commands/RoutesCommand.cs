using System.CommandLine;
using Ingress.Cli.Checking;
using Ingress.Cli.CommandLine;
using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Hosting.Admin;
using Ingress.LocalGateway.Hosting.Reload;

namespace Ingress.Cli.Commands;

/// <summary>
/// <c>ingress routes</c>: prints the listeners, route tables (routes in the order they are tried) and clusters the
/// gateway would serve, without serving. Exit codes as every command's: 79 when the config has errors.
/// </summary>
internal static class RoutesCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error, TextReader stdin)
    {
        var shared = new GatewayOptionSet();
        var json = new Choice<bool>("--output", "-o", "text or json (the admin listener's /config_dump)", "text",
            ("text", false), ("json", true));
        var command = new Command("routes", "Print the route table the local gateway would serve for the YAML.");
        shared.AddTo(command);
        command.Options.Add(json.Option);
        command.SetAction(parse =>
        {
            var errors = new List<string>();
            var (options, inputs) = shared.Build(parse, errors);
            foreach (var message in errors)
            {
                error.WriteLine("error: " + message);
            }

            if (errors.Count > 0)
            {
                return ExitCodes.Usage;
            }

            if (GatewayOptionSet.NamespaceNote(parse) is { } note)
            {
                error.WriteLine(note);
            }

            var loaded = new FileConfigSource(inputs, stdin).Load();
            if (loaded.HasErrors)
            {
                foreach (var finding in loaded.Diagnostics)
                {
                    error.WriteLine(finding);
                }

                error.WriteLine(ConfigRefusal.Of(loaded.Diagnostics, inputs).Message);
                return ConfigRefusal.Of(loaded.Diagnostics, inputs).Code;
            }

            if (loaded.Config.Resources.Count == 0)
            {
                error.WriteLine("error: " + CheckRunner.NoResources(inputs));
                return ExitCodes.UnreadableInput;
            }
            var snapshot = new GatewayCompiler(options).Compile(loaded.Config);
            foreach (var finding in loaded.Diagnostics)
            {
                error.WriteLine(finding);
            }

            output.Write(json.Value(parse) ? ConfigDump.ToJson(snapshot) + "\n" : ConfigDump.ToText(snapshot));
            if (GatewayOptionSet.UnsupportedHint(snapshot.Diagnostics) is { } hint)
            {
                error.WriteLine(hint);
            }

            return snapshot.Diagnostics.Any(d => d.Severity == Severity.Error) ? ExitCodes.FindingsAboveThreshold : ExitCodes.Clean;
        });
        return command;
    }
}
