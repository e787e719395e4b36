using Ingress.Config.Analysis.Support;
using Ingress.Config.Model;

namespace Ingress.Config.Tests.Analysis;

/// <summary>The match-coverage rules the analyzers share.</summary>
public class SupportTests
{
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
