namespace Ingress.Cli.LocalSystem;

/// <summary>The loopback ports the running local system uses.</summary>
public sealed record LocalSystemPorts
{
    /// <summary>The gateway's HTTPS listener (Gateway port 443).</summary>
    public required int HttpsPort { get; init; }

    /// <summary>The gateway's HTTP listener (Gateway port 80: the redirect to HTTPS).</summary>
    public required int HttpPort { get; init; }

    /// <summary>The gateway's admin listener.</summary>
    public required int AdminPort { get; init; }

    /// <summary>The trace viewer's page, or null without it.</summary>
    public required int? DashboardPort { get; init; }

    /// <summary>The trace viewer's OTLP/gRPC receiver, or null without it.</summary>
    public required int? OtlpGrpcPort { get; init; }

    /// <summary>The trace viewer's OTLP/HTTP receiver, or null without it.</summary>
    public required int? OtlpHttpPort { get; init; }

    /// <summary>Each service instance's port, by part name.</summary>
    public required IReadOnlyDictionary<string, int> Services { get; init; }

    /// <summary>Each service instance's sidecar (its inbound listener, what the gateway calls), by part name.</summary>
    public IReadOnlyDictionary<string, int> Sidecars { get; init; } = new Dictionary<string, int>();

    /// <summary>The outbound listener a chain link calls for its downstream, by part name (links with a downstream only).</summary>
    public IReadOnlyDictionary<string, int> Outbound { get; init; } = new Dictionary<string, int>();
}
