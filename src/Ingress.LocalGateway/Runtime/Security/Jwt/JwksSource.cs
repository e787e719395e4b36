using Ingress.LocalGateway.Snapshot.Security.Jwt;
using Microsoft.IdentityModel.Tokens;

namespace Ingress.LocalGateway.Runtime.Security.Jwt;

/// <summary>
/// The public keys of one issuer: inline (fixed), or fetched from a loopback <c>http(s)</c> URI or a file. Fetched
/// keys are refreshed every <see cref="RefreshInterval"/>, and at once (at most every <see cref="MinRefetchInterval"/>)
/// when a token names a key id the set does not have, so an issuer can rotate keys without a restart.
/// </summary>
public sealed class JwksSource
{
    private readonly Func<CancellationToken, Task<string>>? _fetch;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Task<bool>? _inFlight;
    private volatile IReadOnlyList<JsonWebKey>? _keys;
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    private JwksSource(IReadOnlyList<JsonWebKey>? keys, Func<CancellationToken, Task<string>>? fetch, string description, TimeProvider time)
    {
        _keys = keys;
        _fetch = fetch;
        Description = description;
        _time = time;
    }

    /// <summary>Where the keys come from, for messages.</summary>
    public string Description { get; }

    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan MinRefetchInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether the keys can change (fetched rather than inline).</summary>
    public bool IsRemote => _fetch is not null;

    /// <summary>Keys given inline in the rule (<c>jwks</c>).</summary>
    public static JwksSource Inline(string json) => new(JwksSpec.ParseKeys(json), null, "inline jwks", TimeProvider.System);

    /// <summary>Keys that cannot be had locally (a jwksUri off this machine): every token of the issuer fails.</summary>
    public static JwksSource Unavailable(string description) =>
        new(null, _ => Task.FromException<string>(new IOException(description + " is not reachable in a local run")), description, TimeProvider.System);

    /// <summary>Keys fetched from a URI (loopback http/https or file).</summary>
    public static JwksSource Remote(Uri uri, HttpClient client, TimeProvider? time = null)
    {
        Func<CancellationToken, Task<string>> fetch = uri.IsFile
            ? ct => File.ReadAllTextAsync(uri.LocalPath, ct)
            : async ct =>
            {
                using var response = await client.GetAsync(uri, ct).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            };
        return new JwksSource(null, fetch, uri.ToString(), time ?? TimeProvider.System);
    }

    /// <summary>The current keys, fetching them when there are none yet or they are older than the refresh interval; null when they cannot be had.</summary>
    public async ValueTask<IReadOnlyList<JsonWebKey>?> GetKeysAsync(CancellationToken ct)
    {
        if (_fetch is null)
        {
            return _keys;
        }

        if (_keys is null || _time.GetUtcNow() - _fetchedAt >= RefreshInterval)
        {
            await FetchAsync(force: false, ct).ConfigureAwait(false);
        }

        return _keys;
    }

    /// <summary>Fetches again because a token's key was not found; false when the last fetch was too recent.</summary>
    public async ValueTask<bool> RefetchForUnknownKeyAsync(CancellationToken ct)
    {
        if (_fetch is null || _time.GetUtcNow() - _fetchedAt < MinRefetchInterval)
        {
            return false;
        }

        return await FetchAsync(force: true, ct).ConfigureAwait(false);
    }

    private Task<bool> FetchAsync(bool force, CancellationToken ct)
    {
        // One fetch at a time: concurrent requests that miss a key share it instead of stampeding the issuer.
        lock (_gate)
        {
            if (_inFlight is { IsCompleted: false } running)
            {
                return running;
            }

            var age = _time.GetUtcNow() - _fetchedAt;
            if ((!force && _keys is not null && age < RefreshInterval) || (force && age < MinRefetchInterval))
            {
                return Task.FromResult(!force);
            }

            _fetchedAt = _time.GetUtcNow();
            _inFlight = FetchNowAsync(ct);
            return _inFlight;
        }
    }

    private async Task<bool> FetchNowAsync(CancellationToken ct)
    {
        try
        {
            _keys = JwksSpec.ParseKeys(await _fetch!(ct).ConfigureAwait(false));
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or FormatException or TaskCanceledException or UnauthorizedAccessException)
        {
            // Keep the keys we had: a failed refresh must not lock everyone out.
            return false;
        }
    }
}
