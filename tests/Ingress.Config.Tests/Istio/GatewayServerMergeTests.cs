using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Tests.Istio;

/// <summary>
/// Which servers Istio keeps when it merges the Gateways of one workload into listeners
/// (<c>pilot/pkg/model/gateway.go: mergeGateways, CheckDuplicates, canMergeProtocols, sanitizeServerHostNamespace,
/// gatewayRDSRouteName</c>), and the order it takes Gateways in (<c>push_context.go: sortConfigByCreationTime</c>).
/// Each row: the servers, written <c>gateway:PROTOCOL/port[/bind]:mode:host,host</c> in the order given, and the
/// decision for each (<c>kept</c>, or the reason it is dropped).
/// </summary>
public class GatewayServerMergeTests
{
    public static TheoryData<string, string[], string[]> Cases => new()
    {
        { "HTTP servers on one port merge", ["a:HTTP/80::x.com", "b:HTTP/80::y.com", "c:HTTP2/80::z.com"], ["kept", "kept", "kept"] },
        { "HTTPS after HTTP is dropped", ["a:HTTP/443::x.com", "b:HTTPS/443:SIMPLE:y.com"], ["kept", "ProtocolConflict"] },
        { "HTTP after HTTPS is dropped", ["a:HTTPS/443:SIMPLE:x.com", "b:HTTP/443::y.com"], ["kept", "ProtocolConflict"] },
        { "TCP after TCP is dropped", ["a:TCP/31400::*", "b:TCP/31400::*"], ["kept", "ProtocolConflict"] },
        { "TCP after HTTP is dropped", ["a:HTTP/80::x.com", "b:TCP/80::*"], ["kept", "ProtocolConflict"] },
        { "a different bind is another listener", ["a:HTTP/80::x.com", "b:TCP/80/10.0.0.2::*"], ["kept", "kept"] },
        { "HTTPS servers with different hosts share the port by SNI", ["a:HTTPS/443:SIMPLE:x.com", "b:HTTPS/443:SIMPLE:y.com"], ["kept", "kept"] },
        { "the same TLS host on a port is dropped", ["a:HTTPS/443:SIMPLE:x.com", "b:HTTPS/443:SIMPLE:y.com,x.com"], ["kept", "DuplicateTlsHost"] },
        { "hosts are compared as written", ["a:HTTPS/443:SIMPLE:*.x.com", "b:HTTPS/443:SIMPLE:api.x.com"], ["kept", "kept"] },
        { "*/host is the host", ["a:HTTPS/443:SIMPLE:*/x.com", "b:HTTPS/443:SIMPLE:x.com"], ["kept", "DuplicateTlsHost"] },
        { "ns/host is not the host", ["a:HTTPS/443:SIMPLE:ns/x.com", "b:HTTPS/443:SIMPLE:x.com"], ["kept", "kept"] },
        { "the same TLS host with another bind is kept", ["a:HTTPS/443:SIMPLE:x.com", "b:HTTPS/443/10.0.0.2:SIMPLE:x.com"], ["kept", "kept"] },
        { "passthrough after terminated TLS shares the port", ["a:HTTPS/443:SIMPLE:x.com", "b:TLS/443:PASSTHROUGH:y.com"], ["kept", "kept"] },
        { "httpsRedirect servers record their hosts", ["a:HTTP/80:redirect:x.com", "b:HTTP/80:redirect:x.com"], ["kept", "DuplicateTlsHost"] },
        { "a server dropped for its protocol still records its hosts", ["a:HTTP/443::x.com", "b:HTTPS/443:SIMPLE:y.com", "c:HTTPS/443:SIMPLE:y.com"], ["kept", "ProtocolConflict", "DuplicateTlsHost"] },
        { "two HTTPS servers of one Gateway with one port name", ["a:HTTPS/443:SIMPLE:x.com", "a:HTTPS/443:SIMPLE:y.com"], ["kept", "DuplicatePortName"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_as_merge_gateways(string name, string[] servers, string[] expected)
    {
        _ = name;
        var gateways = Gateways(servers);
        var decisions = GatewayServerMerge.Merge(gateways);

        Assert.Equal(expected, decisions.Select(d => d.Kept ? "kept" : d.Drop.ToString()).ToArray());
    }

    [Fact]
    public void Names_the_server_that_came_first()
    {
        var decisions = GatewayServerMerge.Merge(Gateways(["a:HTTPS/443:SIMPLE:x.com", "b:HTTPS/443:SIMPLE:x.com"]));

        Assert.Equal("x.com", decisions[1].Host);
        Assert.Equal("Gateway ns/a spec.servers[0]", decisions[1].Earlier!.Describe());
    }

    [Fact]
    public void Takes_gateways_oldest_first_then_by_name()
    {
        var older = Gateway("z", DateTimeOffset.Parse("2024-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), Server("HTTPS/443:SIMPLE:x.com"));
        var newer = Gateway("a", DateTimeOffset.Parse("2024-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), Server("HTTPS/443:SIMPLE:x.com"));

        var decisions = GatewayServerMerge.Merge([newer, older]);

        Assert.Equal(["z", "a"], decisions.Select(d => d.Server.Gateway.Metadata.Name).ToArray());
        Assert.True(decisions[0].Kept);
        Assert.Equal(GatewayServerMerge.Drop.DuplicateTlsHost, decisions[1].Drop);
    }

    [Theory]
    [InlineData("./x.com", "ns/x.com")]
    [InlineData("*/x.com", "x.com")]
    [InlineData("other/x.com", "other/x.com")]
    [InlineData("x.com", "x.com")]
    public void Sanitizes_hosts_as_istio(string host, string expected) =>
        Assert.Equal([expected], GatewayServerMerge.SanitizedHosts(new Server { Hosts = [host] }, "ns"));

    [Fact]
    public void Star_slash_star_makes_the_list_a_wildcard() =>
        Assert.Equal(["*"], GatewayServerMerge.SanitizedHosts(new Server { Hosts = ["a.com", "*/*", "b.com"] }, "ns"));

    /// <summary>Gateways named by the spec's prefix (one per name, in first-seen order, servers in order).</summary>
    private static List<Gateway> Gateways(string[] servers)
    {
        var byName = new List<(string Name, List<Server> Servers)>();
        foreach (var spec in servers)
        {
            var colon = spec.IndexOf(':', StringComparison.Ordinal);
            var name = spec[..colon];
            var entry = byName.FirstOrDefault(e => e.Name == name);
            if (entry.Name is null)
            {
                entry = (name, []);
                byName.Add(entry);
            }

            entry.Servers.Add(Server(spec[(colon + 1)..]));
        }

        // One creation time per Gateway, in the order given, so the merge takes them in that order.
        var start = DateTimeOffset.Parse("2024-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        return byName.Select((e, i) => Gateway(e.Name, start.AddMinutes(i), [.. e.Servers])).ToList();
    }

    private static Gateway Gateway(string name, DateTimeOffset created, params Server[] servers) => new()
    {
        ApiVersion = "networking.istio.io/v1",
        Kind = "Gateway",
        Metadata = new ObjectMeta { Name = name, Namespace = "ns", CreationTimestamp = created },
        Spec = new GatewaySpec { Servers = servers },
    };

    /// <summary><c>PROTOCOL/port[/bind]:mode:hosts</c>; mode empty (no tls), <c>redirect</c> (httpsRedirect) or a TLS mode.</summary>
    private static Server Server(string spec)
    {
        var parts = spec.Split(':');
        var listener = parts[0].Split('/');
        var mode = parts[1];
        var index = int.Parse(listener[1], System.Globalization.CultureInfo.InvariantCulture);
        return new Server
        {
            Port = new Port { Number = index, Protocol = listener[0], Name = listener[0].ToLowerInvariant() },
            Bind = listener.Length > 2 ? listener[2] : null,
            Hosts = parts[2].Split(','),
            Tls = mode switch
            {
                "" => null,
                "redirect" => new ServerTlsSettings { HttpsRedirect = true },
                _ => new ServerTlsSettings { Mode = mode, CredentialName = "cert" },
            },
        };
    }
}
