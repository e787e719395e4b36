using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ingress.Cli.Checking;
using Ingress.Cli.Explaining;
using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Runtime.Explain;
using Ingress.LocalGateway.Snapshot;

namespace Ingress.Cli.Commands;

/// <summary>
/// <c>ingress explain</c>: why one request goes where it goes. Compiles the YAML as <c>ingress gateway</c> does and
/// runs the request through the gateway's own stages offline, then prints each decision (listener and certificate,
/// normalization, virtual host, every route tried, actions, security, outcome). Exit 0 when the request would be
/// forwarded, 1 for a local reply or a refused connection.
/// </summary>
internal static class ExplainCommand
{
    /// <summary>A local reply, or a connection the gateway refuses.</summary>
    public const int NotForwarded = 1;

    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error, TextReader stdin)
    {
        var shared = new GatewayOptionSet();
        var request = new Argument<string>("request")
        {
            Description = "the request, 'METHOD URL' (one argument), e.g. 'GET https://httpsserver.kuopenx.io/test/hello'",
        };
        var headers = new Option<string[]>("--header", "-H")
        {
            Description = "a request header, 'Name: value'; repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var port = new Option<int?>("--port")
        {
            Description = "the Gateway port the request reaches (default: the URL's port, or the Gateway port listening on it locally)",
        };
        var sni = new Option<string?>("--sni")
        {
            Description = "the TLS SNI (default: the URL's host, none for an IP address; '' for none)",
        };
        var clientCert = new Option<string?>("--client-cert")
        {
            Description = "a PEM or DER certificate the client presents in the TLS handshake",
        };
        var jwt = new Option<string?>("--jwt")
        {
            Description = "a JWT sent as 'Authorization: Bearer <token>'",
        };
        var sourceIp = new Option<string?>("--source-ip")
        {
            Description = "the client's address (default 127.0.0.1): what ipBlocks and remoteIpBlocks see",
        };
        var format = new Option<string>("--output", "-o")
        {
            Description = "text (default) or json",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("explain",
            "Explain, from the YAML alone, what the local gateway does with one request and why: listener and certificate, " +
            "normalization, virtual host, every route tried, actions, security, and the outcome.");
        shared.AddTo(command);
        command.Arguments.Add(request);
        command.Options.Add(headers);
        command.Options.Add(port);
        command.Options.Add(sni);
        command.Options.Add(clientCert);
        command.Options.Add(jwt);
        command.Options.Add(sourceIp);
        command.Options.Add(format);
        command.SetAction(async (parse, _) =>
        {
            var errors = new List<string>();
            var (options, inputs) = shared.Build(parse, errors);
            var target = ExplainTarget.Parse(parse.GetValue(request) ?? "", out var targetError);
            if (targetError is not null)
            {
                errors.Add(targetError);
            }

            var extra = new List<KeyValuePair<string, string>>();
            foreach (var header in parse.GetValue(headers) ?? [])
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || header[..colon].Trim().Length == 0 || header[..colon].Trim().Contains(' ', StringComparison.Ordinal))
                {
                    errors.Add($"--header '{header}': expected 'Name: value', e.g. --header 'x-user: alice'");
                    continue;
                }

                extra.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
            }

            if (parse.GetValue(jwt) is { Length: > 0 } token)
            {
                extra.Add(new("authorization", "Bearer " + token));
            }

            var source = IPAddress.Loopback;
            if (parse.GetValue(sourceIp) is { } ipText && !IPAddress.TryParse(ipText, out source!))
            {
                errors.Add($"--source-ip '{ipText}': expected an IPv4 or IPv6 address, e.g. 203.0.113.7");
            }

            foreach (var message in errors)
            {
                error.WriteLine("error: " + message);
            }

            if (errors.Count > 0)
            {
                return ExitCodes.Usage;
            }

            X509Certificate2? certificate = null;
            if (parse.GetValue(clientCert) is { } certFile)
            {
                try
                {
                    certificate = X509CertificateLoader.LoadCertificateFromFile(certFile);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
                {
                    error.WriteLine($"error: --client-cert {certFile}: {e.Message} (expected a PEM or DER certificate)");
                    return ExitCodes.UnreadableInput;
                }
            }

            if (GatewayOptionSet.NamespaceNote(parse) is { } note)
            {
                error.WriteLine(note);
            }

            var loaded = new FileConfigSource(inputs, stdin).Load();
            foreach (var finding in loaded.Diagnostics)
            {
                error.WriteLine(finding);
            }

            if (loaded.HasErrors)
            {
                var refusal = ConfigRefusal.Of(loaded.Diagnostics, inputs);
                error.WriteLine(refusal.Message);
                return refusal.Code;
            }

            if (loaded.Config.Resources.Count == 0)
            {
                error.WriteLine("error: " + CheckRunner.NoResources(inputs));
                return ExitCodes.UnreadableInput;
            }

            var snapshot = new GatewayCompiler(options).Compile(loaded.Config);
            foreach (var finding in snapshot.Diagnostics)
            {
                error.WriteLine(finding);
            }

            if (snapshot.Diagnostics.Any(d => d.Severity == Severity.Error))
            {
                if (GatewayOptionSet.UnsupportedHint(snapshot.Diagnostics) is { } hint)
                {
                    error.WriteLine(hint);
                }

                error.WriteLine("error: the gateway would refuse this configuration (errors above), so no request can be explained");
                return ExitCodes.FindingsAboveThreshold;
            }

            var probe = new ExplainRequest
            {
                Method = target!.Method,
                Scheme = target.Scheme,
                Port = parse.GetValue(port) ?? GatewayPort(snapshot, target.Port),
                Authority = target.Authority,
                Target = target.Target,
                Headers = extra,
                Sni = target.Scheme != "https" ? null
                    : parse.GetResult(sni) is not null ? NullIfEmpty(parse.GetValue(sni))
                    : target.HostIsAddress ? null : target.Host,
                ClientCertificate = certificate,
                SourceIp = source,
            };
            var explanation = await RequestExplainer.ExplainAsync(snapshot, probe, options.NumTrustedProxies).ConfigureAwait(false);
            output.Write(parse.GetValue(format) == "json"
                ? ExplanationJson.ToJson(explanation) + "\n"
                : ExplanationText.ToText(explanation));
            return explanation.Outcome.Kind == OutcomeKinds.Forwarded ? ExitCodes.Clean : NotForwarded;
        });
        return command;
    }

    // The URL's port is a Gateway port, or the local port one listens on (https://127.0.0.1:8443 reaches port 443).
    private static int GatewayPort(GatewaySnapshot snapshot, int urlPort)
    {
        if (snapshot.Listeners.ContainsKey(urlPort))
        {
            return urlPort;
        }

        foreach (var listener in snapshot.Listeners.Values)
        {
            if (listener.Address.Port == urlPort)
            {
                return listener.Port;
            }
        }

        return urlPort;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

}
