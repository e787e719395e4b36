using System.CommandLine;
using System.Globalization;
using System.Net;
using Ingress.Cli.CommandLine;
using Ingress.Config.GatewayApi;
using Ingress.Config.Loading;
using Ingress.LocalGateway;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Hosting.Endpoints;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Snapshot.Upstreams;
using PathMode = Ingress.LocalGateway.Snapshot.PathNormalization;

namespace Ingress.Cli.Commands;

/// <summary>The options shared by <c>ingress gateway</c> and <c>ingress routes</c>, and their conversion to <see cref="GatewayOptions"/>.</summary>
internal sealed class GatewayOptionSet
{
    /// <summary><c>-f</c> and <c>-n</c> as on every command; <c>--default-namespace</c> is kept as <c>-n</c>'s older spelling.</summary>
    public InputOptions Input { get; } = new(positionalPaths: false, legacyDefaultNamespace: true);

    public Option<string[]> Listen { get; } = new("--listen")
    {
        Description = "where a Gateway port listens, <gatewayPort>=<ip:port>; default 127.0.0.1:P+8000 for P < 1024, else 127.0.0.1:P",
    };

    public Option<string[]> Endpoint { get; } = new("--endpoint")
    {
        Description = "where a Service's traffic goes locally, <host>:<port>=<url>[;<label>=<value>...]",
    };

    public Option<string?> Endpoints { get; } = new("--endpoints")
    {
        Description = "a YAML or JSON list of endpoints (strings as --endpoint, or maps {host, port, url, labels})",
    };

    public Option<string> GatewayNamespace { get; } = new("--gateway-namespace")
    {
        Description = "the gateway's own namespace: Secrets are read from it, exportTo is checked against it " +
                      "(before this option, --namespace; now -n/--namespace is the documents' namespace on every command)",
        DefaultValueFactory = _ => "istio-system",
    };

    public Option<string[]> Label { get; } = new("--label")
    {
        Description = "the gateway's labels, <key>=<value>, which Gateway selectors must match; default istio=ingressgateway " +
                      "(gateway.networking.k8s.io/gateway-name=<name> makes it the pods of that Gateway API Gateway for policies " +
                      "and mesh identity)",
    };

    public Option<string[]> AllowUnsupported { get; } = new("--allow-unsupported")
    {
        Description = "serve a config that uses fields the local gateway does not implement, leaving them out with a warning; " +
                      "without a value every such field, else only those named (e.g. retries,fault,trafficPolicy.tls)",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> MeshConfig { get; } = new("--mesh-config")
    {
        Description = "the mesh's MeshConfig (an IstioOperator, the istio ConfigMap, or a MeshConfig document); its " +
                      "pathNormalization decides how request paths are normalized",
    };

    public Option<string?> PathNormalization { get; } = new("--path-normalization")
    {
        Description = "how request paths are normalized before routing and policies, as MeshConfig pathNormalization: " +
                      "NONE, BASE (Istio's default), MERGE_SLASHES, DECODE_AND_MERGE_SLASHES; overrides --mesh-config",
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        Input.AddTo(command);
        command.Options.Add(Listen);
        command.Options.Add(Endpoint);
        command.Options.Add(Endpoints);
        command.Options.Add(GatewayNamespace);
        command.Options.Add(Label);
        command.Options.Add(AllowUnsupported);
        command.Options.Add(MeshConfig);
        command.Options.Add(PathNormalization);
    }

    /// <summary>
    /// Builds the gateway options and the inputs with their namespaces; every bad value is reported in
    /// <paramref name="errors"/>.
    /// </summary>
    public (GatewayOptions Options, IReadOnlyList<ConfigInput> Inputs) Build(ParseResult parse, List<string> errors)
    {
        var inputs = Input.Read(parse, errors);
        var listen = new Dictionary<int, IPEndPoint>();
        foreach (var entry in parse.GetValue(Listen) ?? [])
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                || !IPEndPoint.TryParse(parts[1], out var address))
            {
                errors.Add($"--listen '{entry}': expected <gatewayPort>=<ip:port>, e.g. 443=127.0.0.1:9443");
                continue;
            }

            listen[port] = address;
        }

        var endpoints = new List<EndpointDefinition>();
        foreach (var entry in parse.GetValue(Endpoint) ?? [])
        {
            var endpoint = EndpointParser.Parse(entry, out var error);
            if (error is null)
            {
                endpoints.Add(endpoint);
            }
            else
            {
                errors.Add("--endpoint " + error);
            }
        }

        if (parse.GetValue(Endpoints) is { Length: > 0 } file)
        {
            endpoints.AddRange(EndpointFileReader.Read(file, errors));
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in parse.GetValue(Label) ?? [])
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                errors.Add($"--label '{entry}': expected <key>=<value>, e.g. istio=ingressgateway");
                continue;
            }

            labels[parts[0]] = parts[1];
        }

        if (labels.Count == 0)
        {
            labels["istio"] = "ingressgateway";
        }

        var ns = parse.GetValue(GatewayNamespace) ?? "istio-system";
        var options = new GatewayOptions
        {
            // The pods Istio deploys for a Gateway API Gateway carry its name in this label and run as its Deployment's
            // service account in the Gateway's namespace.
            MeshIdentity = labels.TryGetValue(GatewayDeployment.GatewayNameLabel, out var gatewayName)
                ? MeshCa.SpiffeId(ns, GatewayDeployment.Name(gatewayName))
                : MeshCa.IngressGatewayIdentity,
            ConfigPaths = inputs.Select(i => i.Path).ToList(),
            ListenOverrides = listen,
            Endpoints = endpoints,
            Namespace = ns,
            Labels = labels,
            DefaultNamespace = inputs.Count > 0 ? inputs[0].Namespace : InputOptions.DefaultNamespace,
            AllowUnsupported = Unsupported(parse),
            PathNormalization = Normalization(parse, errors),
        };
        return (options, inputs);
    }

    // --path-normalization, else the MeshConfig file's, else BASE (DEFAULT is BASE, as in Istio).
    private PathMode Normalization(ParseResult parse, List<string> errors)
    {
        var value = parse.GetValue(PathNormalization);
        if (value is null && parse.GetValue(MeshConfig) is { Length: > 0 } file)
        {
            value = MeshConfigFile.Read(file, errors).PathNormalization;
        }

        switch (value?.ToUpperInvariant())
        {
            case null or "DEFAULT" or "BASE":
                return PathMode.Base;
            case "NONE":
                return PathMode.None;
            case "MERGE_SLASHES":
                return PathMode.MergeSlashes;
            case "DECODE_AND_MERGE_SLASHES":
                return PathMode.DecodeAndMergeSlashes;
            default:
                errors.Add($"--path-normalization '{value}': expected one of NONE, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES");
                return PathMode.Base;
        }
    }

    /// <summary>
    /// A note for a command line written when <c>--namespace</c> named the gateway's own namespace on gateway and
    /// routes: it now means what it means on every command (the documents' namespace), or null when not written.
    /// </summary>
    public static string? NamespaceNote(ParseResult parse) =>
        parse.Tokens.Any(t => t.Type == System.CommandLine.Parsing.TokenType.Option && t.Value == "--namespace")
            ? "note: --namespace is the namespace of documents that name none, as in kubectl apply -n and ingress " +
              "analyze; the gateway's own namespace (where it reads Secrets) is --gateway-namespace, default istio-system"
            : null;

    private UnsupportedFields Unsupported(ParseResult parse)
    {
        if (parse.GetResult(AllowUnsupported) is null)
        {
            return UnsupportedFields.None;
        }

        var fields = (parse.GetValue(AllowUnsupported) ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        return fields.Count == 0 ? UnsupportedFields.All : UnsupportedFields.Only(fields);
    }

    /// <summary>
    /// The line that tells the user what to do when fields the local gateway does not implement refused the config,
    /// or null when none did.
    /// </summary>
    public static string? UnsupportedHint(IEnumerable<Ingress.Config.Diagnostics.Diagnostic> findings)
    {
        var refused = findings.Count(d => d.Code == GatewayCodes.Unsupported && d.Severity == Ingress.Config.Diagnostics.Severity.Error);
        return refused == 0
            ? null
            : $"error: {refused} field(s) above are not implemented by the local gateway (ING0201): remove them, or pass " +
              "--allow-unsupported (every such field) or --allow-unsupported <field>,... (only those) to serve the rest " +
              "without them; see docs/gateway.md";
    }
}
