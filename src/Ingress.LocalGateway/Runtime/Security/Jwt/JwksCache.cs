using Ingress.LocalGateway.Snapshot.Security.Jwt;

namespace Ingress.LocalGateway.Runtime.Security.Jwt;

/// <summary>
/// The key sources of the JWT issuers a proxy verifies, by <see cref="JwksSpec"/>: a reload that keeps an issuer's
/// <c>jwksUri</c> keeps its fetched keys and refresh schedule instead of fetching them again.
/// </summary>
public sealed class JwksCache
{
    private static readonly HttpClient DefaultClient = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Dictionary<JwksSpec, JwksSource> _sources = [];
    private readonly Lock _lock = new();
    private readonly HttpClient _client;
    private readonly TimeProvider? _time;

    public JwksCache(HttpClient? client = null, TimeProvider? time = null)
    {
        _client = client ?? DefaultClient;
        _time = time;
    }

    /// <summary>The key source for a spec, shared by every snapshot that names the same keys.</summary>
    public JwksSource Resolve(JwksSpec spec)
    {
        lock (_lock)
        {
            if (!_sources.TryGetValue(spec, out var source))
            {
                source = spec.Kind switch
                {
                    JwksSpecKind.Inline => JwksSource.Inline(spec.Value),
                    JwksSpecKind.Remote => JwksSource.Remote(new Uri(spec.Value), _client, _time),
                    _ => JwksSource.Unavailable(spec.Value),
                };
                _sources[spec] = source;
            }

            return source;
        }
    }
}
