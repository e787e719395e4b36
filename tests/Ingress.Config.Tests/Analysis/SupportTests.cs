using Ingress.Config.Analysis.Support;
using Ingress.Config.Model;

namespace Ingress.Config.Tests.Analysis;

/// <summary>The host, gateway-name and match-coverage rules the analyzers share.</summary>
public class SupportTests
{
    [Theory]
    [InlineData("*.example.com", "a.example.com", true)]
    [InlineData("a.example.com", "*.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*", "anything.io", true)]
    [InlineData("*.b.example.com", "*.example.com", true)]
    [InlineData("API.example.com", "api.example.com", true)]
    [InlineData("a.example.com", "b.example.com", false)]
    public void Matches_hosts_as_istio_does(string a, string b, bool expected) =>
        Assert.Equal(expected, Hosts.Matches(a, b));

    [Theory]
    [InlineData("reviews", "foo", "reviews.foo.svc.cluster.local")]
    [InlineData("reviews.bar", "foo", "reviews.bar")]
    [InlineData("*.example.com", "foo", "*.example.com")]
    public void Expands_short_names_in_the_given_namespace(string host, string ns, string expected) =>
        Assert.Equal(expected, Hosts.ToFqdn(host, ns));

    [Theory]
    [InlineData("team/a.example.com", "team", "a.example.com")]
    [InlineData("./a.example.com", "gw-ns", "a.example.com")]
    [InlineData("*/a.example.com", null, "a.example.com")]
    [InlineData("a.example.com", null, "a.example.com")]
    public void Splits_namespace_prefixed_server_hosts(string serverHost, string? ns, string host) =>
        Assert.Equal((ns, host), Hosts.SplitServerHost(serverHost, "gw-ns"));

    [Theory]
    [InlineData("gw", "apps", "apps", "gw")]
    [InlineData("./gw", "apps", "apps", "gw")]
    [InlineData("istio-system/gw", "apps", "istio-system", "gw")]
    [InlineData("gw.istio-system.svc.cluster.local", "apps", "istio-system", "gw")]
    [InlineData("gw.istio-system", "apps", "istio-system", "gw")]
    public void Resolves_gateway_references_like_pilot(string reference, string vsNamespace, string ns, string name) =>
        Assert.Equal((ns, name), GatewayNames.Resolve(reference, vsNamespace));

    [Fact]
    public void Mesh_is_not_a_gateway_reference() => Assert.Null(GatewayNames.Resolve("mesh", "apps"));

    private static HttpMatchRequest Uri(string? exact = null, string? prefix = null, string? regex = null, bool? ignoreCase = null) =>
        new() { Uri = new StringMatch { Exact = exact, Prefix = prefix, Regex = regex }, IgnoreUriCase = ignoreCase };

    [Fact]
    public void A_prefix_covers_longer_prefixes_and_exact_paths_under_it()
    {
        Assert.True(MatchCoverage.Covers(Uri(prefix: "/api"), Uri(prefix: "/api/v1")));
        Assert.True(MatchCoverage.Covers(Uri(prefix: "/api"), Uri(exact: "/apis")));
        Assert.False(MatchCoverage.Covers(Uri(prefix: "/api/v1"), Uri(prefix: "/api")));
    }

    [Fact]
    public void A_regex_covers_exact_paths_it_fully_matches()
    {
        Assert.True(MatchCoverage.Covers(Uri(regex: "/items/[0-9]+"), Uri(exact: "/items/42")));
        Assert.False(MatchCoverage.Covers(Uri(regex: "/items/[0-9]+"), Uri(exact: "/items/42/x")));
    }

    [Fact]
    public void Case_sensitive_matches_do_not_cover_case_insensitive_ones()
    {
        Assert.False(MatchCoverage.Covers(Uri(prefix: "/api"), Uri(prefix: "/api/v1", ignoreCase: true)));
        Assert.True(MatchCoverage.Covers(Uri(prefix: "/API", ignoreCase: true), Uri(prefix: "/api/v1")));
    }

    [Fact]
    public void Header_conditions_narrow_a_match()
    {
        var withHeader = Uri(prefix: "/api") with
        {
            Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "true" } },
        };

        Assert.True(MatchCoverage.Covers(Uri(prefix: "/api"), withHeader));
        Assert.False(MatchCoverage.Covers(withHeader, Uri(prefix: "/api")));
    }

    [Fact]
    public void A_port_selector_only_covers_matches_on_the_same_port()
    {
        var on443 = new HttpMatchRequest { Port = 443 };

        Assert.True(MatchCoverage.Covers(on443, Uri(exact: "/x") with { Port = 443 }));
        Assert.False(MatchCoverage.Covers(on443, Uri(exact: "/x")));
        Assert.True(MatchCoverage.IsCatchAll(Uri(prefix: "/")));
        Assert.False(MatchCoverage.IsCatchAll(on443));
    }
}
