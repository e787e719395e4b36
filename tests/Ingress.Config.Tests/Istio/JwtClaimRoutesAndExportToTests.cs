using Ingress.Config.Istio;

namespace Ingress.Config.Tests.Istio;

/// <summary>
/// <c>pkg/jwt/routing.go: ToRoutingClaim</c> (which header keys route on JWT claims) and the visibility rule of
/// <c>exportTo</c> (<c>pkg/config/visibility</c>, <c>validation.go: validateExportTo</c>).
/// </summary>
public class JwtClaimRoutesAndExportToTests
{
    [Theory]
    [InlineData("@request.auth.claims.group", "group")]
    [InlineData("@request.auth.claims.realm.role", "realm|role")]
    [InlineData("@request.auth.claims[group]", "group")]
    [InlineData("@request.auth.claims[realm][role]", "realm|role")]
    [InlineData("@Request.Auth.Claims.group", "group")]
    [InlineData("@request.auth.claims", null)]
    [InlineData("@request.auth.claims.", null)]
    [InlineData("@request.auth.claims[]", null)]
    [InlineData("x-user", null)]
    public void Reads_claim_routes_as_to_routing_claim(string key, string? path) =>
        Assert.Equal(path, JwtClaimRoutes.ClaimPath(key) is { } claims ? string.Join('|', claims) : null);

    [Theory]
    [InlineData("", "apps", true)]
    [InlineData("*", "apps", true)]
    [InlineData(".", "web", true)]
    [InlineData(".", "apps", false)]
    [InlineData("apps,other", "apps", true)]
    [InlineData("~", "web", false)]
    public void Decides_visibility_from_export_to(string exportTo, string viewer, bool visible) =>
        Assert.Equal(visible, ExportTo.IsVisible("web", exportTo.Length == 0 ? [] : exportTo.Split(','), viewer));

    [Theory]
    [InlineData("default,.", "duplicate entries in exportTo: . and current namespace default")]
    [InlineData("a,a", "duplicate entries in exportTo for entry a")]
    [InlineData("*,a", "cannot have both public (*) and non-public exportTo values for a resource")]
    [InlineData("~", "exportTo ~ (none) is not allowed for Istio configuration objects")]
    [InlineData("Bad_ns", "only .,*,~, or a valid DNS 1123 label is allowed as exportTo entry (found \"Bad_ns\")")]
    [InlineData(".,a", "")]
    public void Validates_export_to_as_validate_export_to(string exportTo, string error) =>
        Assert.Equal(error, string.Join("; ", ExportTo.Errors("default", exportTo.Split(','))));

    [Fact]
    public void A_destination_rule_with_a_selector_stays_in_its_namespace()
    {
        Assert.Equal(["destination rule with workload selector cannot have exportTo beyond current namespace"],
            ExportTo.Errors("default", ["other"], destinationRuleWithSelector: true));
        Assert.Equal(["destination rule with workload selector cannot have multiple entries in exportTo"],
            ExportTo.Errors("default", [".", "other"], destinationRuleWithSelector: true));
        Assert.Equal(["b", "c"], ExportTo.OfServiceAnnotation(new Dictionary<string, string> { [ExportTo.ServiceAnnotation] = " b, c ," }));
    }
}
