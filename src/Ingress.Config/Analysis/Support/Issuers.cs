using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Support;

/// <summary>cert-manager lookups: a Certificate's issuer and the ACME solver it would use for a DNS name.</summary>
internal static class Issuers
{
    /// <summary>Whether the reference names a cert-manager issuer (not an external issuer of another group).</summary>
    public static bool IsCertManager(IssuerReference reference) =>
        string.IsNullOrEmpty(reference.Group) || reference.Group == "cert-manager.io";

    /// <summary><c>Issuer</c> unless the reference says <c>ClusterIssuer</c>.</summary>
    public static string KindOf(IssuerReference reference) =>
        reference.Kind == "ClusterIssuer" ? "ClusterIssuer" : "Issuer";

    /// <summary>The spec of the issuer a Certificate uses, or null when it is not in the configuration.</summary>
    public static (Resource Issuer, IssuerSpec Spec)? Resolve(ConfigSet config, Certificate certificate)
    {
        if (certificate.Spec.IssuerRef is not { Name: { } name } reference || !IsCertManager(reference))
        {
            return null;
        }

        if (KindOf(reference) == "ClusterIssuer")
        {
            var clusterIssuer = config.OfType<ClusterIssuer>().FirstOrDefault(i => i.Metadata.Name == name);
            return clusterIssuer is null ? null : (clusterIssuer, clusterIssuer.Spec);
        }

        var issuer = config.Find<Issuer>(certificate.Metadata.Namespace, name);
        return issuer is null ? null : (issuer, issuer.Spec);
    }

    /// <summary>
    /// The solver cert-manager picks for <paramref name="dnsName"/>: the one whose selector matches most specifically
    /// (dnsNames, then the longest dnsZone, then matchLabels, then none); the first on a tie.
    /// </summary>
    public static AcmeSolver? SolverFor(AcmeIssuer acme, string dnsName, IReadOnlyDictionary<string, string> certificateLabels)
    {
        AcmeSolver? best = null;
        var bestScore = -1;
        foreach (var solver in acme.Solvers)
        {
            var score = Score(solver.Selector, dnsName, certificateLabels);
            if (score > bestScore)
            {
                (best, bestScore) = (solver, score);
            }
        }

        return best;
    }

    private static int Score(AcmeSolverSelector? selector, string dnsName, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return 0;
        }

        if (!Labels.Matches(selector.MatchLabels, labels))
        {
            return -1;
        }

        var labelScore = selector.MatchLabels.Count > 0 ? 1 : 0;
        if (selector.DnsNames.Count > 0)
        {
            return selector.DnsNames.Contains(dnsName, StringComparer.OrdinalIgnoreCase) ? 100_000 + labelScore : -1;
        }

        if (selector.DnsZones.Count > 0)
        {
            var zone = selector.DnsZones
                .Where(z => dnsName.Equals(z, StringComparison.OrdinalIgnoreCase) || dnsName.EndsWith("." + z, StringComparison.OrdinalIgnoreCase))
                .MaxBy(z => z.Length);
            return zone is null ? -1 : 10 + (zone.Length * 2) + labelScore;
        }

        return labelScore;
    }
}
