namespace Ingress.Cli.LocalSystem;

/// <summary>What <c>ingress up</c> starts and where: the state folder, the ports, and whether the trace viewer runs.</summary>
public sealed record LocalSystemOptions
{
    /// <summary>
    /// The clone's root (the folder holding Ingress.slnx), where the overlay and the service project are read; null outside
    /// a clone, where the tool's built-in overlay and bundled service are used.
    /// </summary>
    public required string? RepositoryRoot { get; init; }

    /// <summary>Where the CA, the gateway certificate, the rendered config and the logs are kept.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Where the gateway's HTTPS server (Gateway port 443) listens on 127.0.0.1; 0 picks a free port.</summary>
    public int HttpsPort { get; init; } = 8443;

    /// <summary>Where the gateway's HTTP server (Gateway port 80, the redirect) listens on 127.0.0.1; 0 picks a free port.</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>The gateway's admin listener (<c>/ready</c>, <c>/config_dump</c>); 0 picks a free port.</summary>
    public int AdminPort { get; init; } = 15000;

    /// <summary>The trace viewer's web page; 0 picks a free port.</summary>
    public int DashboardPort { get; init; } = 18888;

    /// <summary>The trace viewer's OTLP/gRPC receiver, which every part exports to; 0 picks a free port.</summary>
    public int OtlpGrpcPort { get; init; } = 4317;

    /// <summary>The trace viewer's OTLP/HTTP receiver; 0 picks a free port.</summary>
    public int OtlpHttpPort { get; init; } = 4318;

    /// <summary>The API the edge is written in (<c>--api</c>): which local overlay is served.</summary>
    public LocalEdge Edge { get; init; } = LocalEdge.Istio;

    /// <summary>False runs without the trace viewer (and without exporting telemetry).</summary>
    public bool Dashboard { get; init; } = true;

    /// <summary>How long every part together may take to become ready.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long a part may take to exit after SIGTERM before it is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
