using System.CommandLine;
using System.Net;
using Ingress.Cli.CommandLine;
using Ingress.Config.Loading;
using Ingress.LocalGateway;
using Microsoft.Extensions.Logging;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Runtime.Tracing;
using Ingress.LocalGateway.Hosting;

namespace Ingress.Cli.Commands;

/// <summary>
/// <c>ingress gateway</c>: serves the YAML as Istio's ingress gateway would, on this machine, until SIGTERM/Ctrl+C.
/// Exit codes as every command's (<see cref="ExitCodes"/>): 0 after a clean drain, 1 when a port cannot be bound, 64
/// for bad options, 65 for input that cannot be read or holds nothing, 79 when the config has errors.
/// </summary>
internal static class GatewayCommand
{
    /// <summary>Builds the command writing the access log to <paramref name="output"/> and findings to <paramref name="error"/>.</summary>
    public static Command Create(TextWriter output, TextWriter error, TextReader stdin)
    {
        var shared = new GatewayOptionSet();
        var admin = new Option<string>("--admin")
        {
            Description = "the admin listener (/ready, /config_dump, /stats/prometheus)",
            DefaultValueFactory = _ => "127.0.0.1:15000",
        };
        var accessLog = new Choice<AccessLogFormat>("--access-log", "", "access log on standard output: text (Istio's default format), json or off",
            "text", ("text", AccessLogFormat.Text), ("json", AccessLogFormat.Json), ("off", AccessLogFormat.Off));
        var meshCa = new Option<string?>("--mesh-ca")
        {
            Description = "the local mesh CA's folder (as given to ingress sidecar): the gateway then reaches ISTIO_MUTUAL and sidecar " +
                          "endpoints with mutual TLS as spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account " +
                          "(as <namespace>/sa/<name>-istio with --label gateway.networking.k8s.io/gateway-name=<name>)",
        };
        var command = new Command("gateway", "Serve Gateway, VirtualService, DestinationRule and Secret YAML locally with Istio's ingress gateway behaviour.");
        shared.AddTo(command);
        command.Options.Add(admin);
        command.Options.Add(accessLog.Option);
        command.Options.Add(meshCa);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var (options, inputs) = shared.Build(parse, errors);
            if (!IPEndPoint.TryParse(parse.GetValue(admin) ?? "", out var adminAddress))
            {
                errors.Add($"--admin '{parse.GetValue(admin)}': expected <ip:port>, e.g. 127.0.0.1:15000");
            }

            if (errors.Count > 0)
            {
                foreach (var message in errors)
                {
                    await error.WriteLineAsync("error: " + message).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            if (GatewayOptionSet.NamespaceNote(parse) is { } note)
            {
                await error.WriteLineAsync(note).ConfigureAwait(false);
            }

            options = options with
            {
                Admin = adminAddress,
                MeshCaDirectory = string.IsNullOrEmpty(parse.GetValue(meshCa)) ? null : parse.GetValue(meshCa),
                AccessLog = accessLog.Value(parse),
            };
            return await RunAsync(options, inputs, output, error, stdin, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(GatewayOptions options, IReadOnlyList<ConfigInput> inputs, TextWriter output,
        TextWriter error, TextReader stdin, CancellationToken cancellationToken)
    {
        using var loggerFactory = ProxyLogging.CreateFactory();
        // Spans are exported only when the standard OTEL_EXPORTER_OTLP_* variables name a collector.
        options = options with { Tracing = TracingOptions.FromEnvironment(Environment.GetEnvironmentVariable, options.Namespace) };
        var source = new FileConfigSource(inputs, stdin);
        await using var host = new LocalGatewayHost(options, source, loggerFactory, output);
        GatewayStartResult started;
        try
        {
            started = await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        if (!started.Started)
        {
            foreach (var finding in started.Diagnostics)
            {
                await error.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
            }

            if (GatewayOptionSet.UnsupportedHint(started.Diagnostics) is { } hint)
            {
                await error.WriteLineAsync(hint).ConfigureAwait(false);
            }

            foreach (var bind in started.BindErrors)
            {
                await error.WriteLineAsync("error: " + bind).ConfigureAwait(false);
            }

            if (started.BindErrors.Count > 0)
            {
                await error.WriteLineAsync("error: the gateway could not listen; use --listen <port>=<ip:port> to choose another address").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            var (code, message) = ConfigRefusal.Of(started.Diagnostics, inputs);
            await error.WriteLineAsync(message).ConfigureAwait(false);
            return code;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM or Ctrl+C: drain below.
        }

        await host.StopAsync().ConfigureAwait(false);
        return ExitCodes.Clean;
    }
}
