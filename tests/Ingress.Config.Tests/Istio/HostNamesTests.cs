using Ingress.Config.Istio;

namespace Ingress.Config.Tests.Istio;

/// <summary>
/// Host names as Istio compares them (<c>pkg/config/host/name.go: Name.Matches, Name.SubsetOf</c>,
/// <c>names.go: Names.Intersection</c>, <c>pkg/config/model: ResolveShortnameToFQDN</c>), and the gateway references
/// of <c>pilot/pkg/model/config.go: resolveGatewayName</c>.
/// </summary>
public class HostNamesTests
{
    [Theory]
    [InlineData("*.example.com", "a.example.com", true)]
    [InlineData("a.example.com", "*.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*", "anything.io", true)]
    [InlineData("*.b.example.com", "*.example.com", true)]
    [InlineData("*.example.com", "*.b.example.com", true)]
    [InlineData("a.example.com", "b.example.com", false)]
    [InlineData("API.example.com", "api.example.com", false)]
    public void Matches_as_name_matches(string a, string b, bool expected) => Assert.Equal(expected, HostNames.Matches(a, b));

    [Theory]
    [InlineData("a.example.com", "*.example.com", true)]
    [InlineData("*.b.example.com", "*.example.com", true)]
    [InlineData("*.example.com", "*.b.example.com", false)]
    [InlineData("*.example.com", "a.example.com", false)]
    [InlineData("example.com", "*.example.com", false)]
    [InlineData("*", "*", true)]
    [InlineData("*.example.com", "*", true)]
    [InlineData("*", "*.example.com", false)]
    [InlineData("a.example.com", "a.example.com", true)]
    public void Subset_of_as_name_subset_of(string host, string of, bool expected) => Assert.Equal(expected, HostNames.SubsetOf(host, of));

    [Theory]
    [InlineData("*.example.com", "a.example.com", "a.example.com")]
    [InlineData("a.example.com", "*", "a.example.com")]
    [InlineData("*.example.com", "*.b.example.com", "*.b.example.com")]
    [InlineData("a.example.com", "b.example.com", null)]
    public void Intersects_to_the_more_specific_host(string a, string b, string? expected)
    {
        Assert.Equal(expected, HostNames.Intersection(a, b));
        Assert.Equal(expected, HostNames.Intersection(b, a));
    }

    [Theory]
    [InlineData("reviews", "foo", "reviews.foo.svc.cluster.local")]
    [InlineData("reviews.bar", "foo", "reviews.bar")]
    [InlineData("*.example.com", "foo", "*.example.com")]
    [InlineData("*", "foo", "*")]
    [InlineData("10.0.0.1", "foo", "10.0.0.1")]
    [InlineData("::1", "foo", "::1")]
    public void Resolves_short_names_in_the_resource_namespace(string host, string ns, string expected) =>
        Assert.Equal(expected, HostNames.ResolveShortName(host, ns));

    [Theory]
    [InlineData("team/a.example.com", "team", "a.example.com")]
    [InlineData("./a.example.com", "gw-ns", "a.example.com")]
    [InlineData("*/a.example.com", null, "a.example.com")]
    [InlineData("a.example.com", null, "a.example.com")]
    public void Splits_namespace_prefixed_server_hosts(string serverHost, string? ns, string host) =>
        Assert.Equal((ns, host), HostNames.SplitServerHost(serverHost, "gw-ns"));

    [Theory]
    [InlineData("gw", "apps", "apps", "gw")]
    [InlineData("./gw", "apps", "apps", "gw")]
    [InlineData("istio-system/gw", "apps", "istio-system", "gw")]
    [InlineData("gw.istio-system.svc.cluster.local", "apps", "istio-system", "gw")]
    [InlineData("gw.istio-system", "apps", "istio-system", "gw")]
    public void Resolves_gateway_references_like_pilot(string reference, string vsNamespace, string ns, string name)
    {
        Assert.Equal((ns, name), GatewayReferences.Resolve(reference, vsNamespace));
        Assert.Equal($"{ns}/{name}", GatewayReferences.Key(reference, vsNamespace));
    }

    [Fact]
    public void Mesh_is_not_a_gateway_reference()
    {
        Assert.Null(GatewayReferences.Resolve("mesh", "apps"));
        Assert.Equal("mesh", GatewayReferences.Key("mesh", "apps"));
    }

    [Theory]
    [InlineData("1.2.3.4", true)]
    [InlineData("01.2.3.4", false)]
    [InlineData("1.2.3", false)]
    [InlineData("256.1.1.1", false)]
    [InlineData("::1", true)]
    [InlineData("fe80::1%eth0", true)]
    [InlineData("1::2::3", false)]
    [InlineData("::ffff:1.2.3.4", true)]
    [InlineData("1:2:3:4:5:6:7:8", true)]
    [InlineData("1:2:3:4:5:6:7:8:9", false)]
    [InlineData("[::1]", false)]
    [InlineData("example.com", false)]
    public void Parses_addresses_as_go_netip(string text, bool valid) => Assert.Equal(valid, IpAddresses.IsAddress(text));

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("10.0.0.0/08", false)]
    [InlineData("fd00::/8", true)]
    [InlineData("fe80::1%eth0/64", false)]
    [InlineData("10.0.0.0/", false)]
    public void Parses_prefixes_as_go_netip(string text, bool valid) => Assert.Equal(valid, IpAddresses.IsPrefix(text));
}
