using System.CommandLine;
using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Hosting.Admin;
using Ingress.LocalGateway.Hosting.Reload;

namespace Ingress.Cli.Commands;

/// <summary>
/// <c>ingress routes</c>: prints the listeners, route tables (routes in the order they are tried) and clusters the
/// gateway would serve, without serving. Exit 1 when the config has errors.
/// </summary>
internal static class RoutesCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error, TextReader stdin)
    {
        var shared = new GatewayOptionSet();
        var format = new Option<string>("--output", "-o")
        {
            Description = "text (default) or json (the admin listener's /config_dump)",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("routes", "Print the route table the local gateway would serve for the YAML.");
        shared.AddTo(command);
        command.Options.Add(format);
        command.SetAction(parse =>
        {
            var errors = new List<string>();
            var options = shared.Build(parse, errors);
            foreach (var message in errors)
            {
                error.WriteLine("error: " + message);
            }

            if (errors.Count > 0)
            {
                return 2;
            }

            var loaded = new FileConfigSource(options.ConfigPaths, options.DefaultNamespace, stdin).Load();
            if (loaded.HasErrors)
            {
                foreach (var finding in loaded.Diagnostics)
                {
                    error.WriteLine(finding);
                }

                return 1;
            }
            var snapshot = new GatewayCompiler(options).Compile(loaded.Config);
            foreach (var finding in loaded.Diagnostics)
            {
                error.WriteLine(finding);
            }

            output.Write(parse.GetValue(format) == "json" ? ConfigDump.ToJson(snapshot) + "\n" : ConfigDump.ToText(snapshot));
            if (GatewayOptionSet.UnsupportedHint(snapshot.Diagnostics) is { } hint)
            {
                error.WriteLine(hint);
            }

            return snapshot.Diagnostics.Any(d => d.Severity == Severity.Error) ? 1 : 0;
        });
        return command;
    }
}
