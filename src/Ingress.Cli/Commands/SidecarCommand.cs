using System.CommandLine;
using System.Globalization;
using System.Net;
using Ingress.Cli.CommandLine;
using Ingress.Config.Loading;
using Microsoft.Extensions.Logging;
using Ingress.LocalGateway.Hosting.Sidecar;
using Ingress.LocalGateway.Hosting.Reload;

namespace Ingress.Cli.Commands;

/// <summary>
/// <c>ingress sidecar</c>: a workload proxy in front of one local service, as Istio's sidecar on the inbound side,
/// until SIGTERM/Ctrl+C. Exit codes as every command's (<see cref="ExitCodes"/>): 0 after a clean stop, 1 when an
/// address cannot be bound, 64 for bad options, 65 for input that cannot be read, 79 when the config has errors.
/// </summary>
internal static class SidecarCommand
{
    public static Command Create(TextWriter output, TextWriter error, TextReader stdin)
    {
        // -f and -n as on every command; --default-namespace is kept as -n's older spelling.
        var input = new InputOptions(positionalPaths: false, legacyDefaultNamespace: true);
        var workload = new Option<string>("--workload")
        {
            Description = "the workload's identity, <namespace>/<serviceaccount>: its SPIFFE id is spiffe://cluster.local/ns/<namespace>/sa/<serviceaccount>",
            Required = true,
        };
        var labels = new Option<string[]>("--label")
        {
            Description = "the workload's pod labels, <key>=<value>, which policy selectors match; repeatable",
        };
        var listen = new Option<string>("--listen")
        {
            Description = "the inbound listener, <ip:port> (mutual TLS and/or plain text, as PeerAuthentication says)",
            DefaultValueFactory = _ => "127.0.0.1:15006",
        };
        var forward = new Option<string>("--forward")
        {
            Description = "the service on loopback, e.g. http://127.0.0.1:8080",
            Required = true,
        };
        var port = new Option<int?>("--port")
        {
            Description = "the workload port policies see (portLevelMtls, AuthorizationPolicy ports); default the --forward port",
        };
        var outbound = new Option<string[]>("--outbound")
        {
            Description = "a plain-text listener for the service's own calls into the mesh, <ip:port>=<url of the destination's sidecar>; requests are sent with mutual TLS as this workload; repeatable",
        };
        var meshCa = new Option<string>("--mesh-ca")
        {
            Description = "the local mesh CA's folder (created when absent); the gateway's --mesh-ca must name the same folder",
            DefaultValueFactory = _ => Path.Combine(".local", "mesh-ca"),
        };
        var lifetime = new Option<string>("--cert-lifetime")
        {
            Description = "how long a workload certificate is valid, e.g. 24h, 30m, 90s; it is re-issued at half of it",
            DefaultValueFactory = _ => "24h",
        };
        var command = new Command("sidecar", "Run a workload proxy in front of one local service: Istio mutual TLS, PeerAuthentication, RequestAuthentication and AuthorizationPolicy, as the service's sidecar enforces them.")
        {
            workload, labels, listen, forward, port, outbound, meshCa, lifetime,
        };
        input.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var inputs = input.Read(parse, errors);
            var options = SidecarOptionParser.Parse(
                inputs.Select(i => i.Path).ToList(),
                parse.GetValue(workload) ?? "",
                parse.GetValue(labels) ?? [],
                parse.GetValue(listen) ?? "",
                parse.GetValue(forward) ?? "",
                parse.GetValue(port),
                parse.GetValue(outbound) ?? [],
                parse.GetValue(meshCa) ?? "",
                parse.GetValue(lifetime) ?? "",
                inputs.Count > 0 ? inputs[0].Namespace : InputOptions.DefaultNamespace,
                errors);
            if (options is null || errors.Count > 0)
            {
                foreach (var message in errors)
                {
                    await error.WriteLineAsync("error: " + message).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            return await RunAsync(options, inputs, output, error, stdin, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(SidecarOptions options, IReadOnlyList<ConfigInput> inputs, TextWriter output,
        TextWriter error, TextReader stdin, CancellationToken cancellationToken)
    {
        using var loggerFactory = ProxyLogging.CreateFactory();
        var source = new FileConfigSource(inputs, stdin);
        await using var host = new SidecarHost(options, source, loggerFactory);
        SidecarStartResult started;
        try
        {
            started = await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync("error: " + e.Message + "; use --listen or --outbound to choose another address").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        if (!started.Started)
        {
            foreach (var finding in started.Diagnostics)
            {
                await error.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
            }

            var (code, message) = ConfigRefusal.Of(started.Diagnostics, inputs);
            await error.WriteLineAsync(message).ConfigureAwait(false);
            return code;
        }

        var state = host.State!;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sidecar {host.Identity}: inbound {host.InboundAddress} -> {options.Forward} (mTLS {state.PeerAuthentication.Mode.ToString().ToUpperInvariant()} on port {options.EffectiveWorkloadPort})")).ConfigureAwait(false);
        for (var i = 0; i < host.OutboundAddresses.Count; i++)
        {
            await output.WriteLineAsync($"  outbound {host.OutboundAddresses[i]} -> {options.Outbound[i].Target} (mutual TLS)").ConfigureAwait(false);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM or Ctrl+C: stop below.
        }

        await host.StopAsync().ConfigureAwait(false);
        return ExitCodes.Clean;
    }
}

/// <summary>Turns the <c>ingress sidecar</c> option values into <see cref="SidecarOptions"/>, reporting every bad value.</summary>
internal static class SidecarOptionParser
{
    public static SidecarOptions? Parse(IReadOnlyList<string> files, string workload, IReadOnlyList<string> labels, string listen,
        string forward, int? port, IReadOnlyList<string> outbound, string meshCa, string lifetime, string defaultNamespace,
        List<string> errors)
    {
        var identity = workload.Split('/');
        if (identity.Length != 2 || identity[0].Length == 0 || identity[1].Length == 0)
        {
            errors.Add($"--workload '{workload}': expected <namespace>/<serviceaccount>, e.g. httpserver/httpserver");
        }

        var labelMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in labels)
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                errors.Add($"--label '{entry}': expected <key>=<value>, e.g. app=httpserver");
                continue;
            }

            labelMap[parts[0]] = parts[1];
        }

        if (!IPEndPoint.TryParse(listen, out var listenAddress))
        {
            errors.Add($"--listen '{listen}': expected <ip:port>, e.g. 127.0.0.1:15006");
        }

        if (!Uri.TryCreate(forward, UriKind.Absolute, out var forwardUrl) || forwardUrl.Scheme != Uri.UriSchemeHttp || !IsLoopback(forwardUrl))
        {
            errors.Add($"--forward '{forward}': expected the service's http:// URL on loopback, e.g. http://127.0.0.1:8080 " +
                       "(a sidecar reaches its own service only)");
        }

        if (port is < 1 or > 65535)
        {
            errors.Add($"--port {port}: expected a port in 1-65535");
        }

        var routes = new List<OutboundRoute>();
        foreach (var entry in outbound)
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2 || !IPEndPoint.TryParse(parts[0], out var address)
                || !Uri.TryCreate(parts[1], UriKind.Absolute, out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"--outbound '{entry}': expected <ip:port>=<url>, e.g. 127.0.0.1:15001=https://127.0.0.1:15007");
                continue;
            }

            routes.Add(new OutboundRoute(address, target));
        }

        var certificateLifetime = ParseDuration(lifetime);
        if (certificateLifetime is null || certificateLifetime < TimeSpan.FromSeconds(2))
        {
            errors.Add($"--cert-lifetime '{lifetime}': expected a duration of at least 2s such as 24h, 30m or 90s");
        }

        if (meshCa.Length == 0)
        {
            errors.Add("--mesh-ca: expected a folder, e.g. .local/mesh-ca");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new SidecarOptions
        {
            ConfigPaths = files,
            Namespace = identity[0],
            ServiceAccount = identity[1],
            Labels = labelMap,
            Listen = listenAddress!,
            Forward = forwardUrl!,
            WorkloadPort = port,
            Outbound = routes,
            MeshCaDirectory = meshCa,
            CertificateLifetime = certificateLifetime!.Value,
            DefaultNamespace = defaultNamespace,
        };
    }

    /// <summary>Parses <c>24h</c>, <c>30m</c>, <c>90s</c> (Istio's duration style) or a .NET time span.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            switch (text[^1])
            {
                case 'h': return TimeSpan.FromHours(value);
                case 'm': return TimeSpan.FromMinutes(value);
                case 's': return TimeSpan.FromSeconds(value);
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero ? span : null;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
