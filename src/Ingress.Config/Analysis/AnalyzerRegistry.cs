using Ingress.Config.Analysis.CertManager;
using Ingress.Config.Analysis.DestinationRules;
using Ingress.Config.Analysis.GatewayApi;
using Ingress.Config.Analysis.Gateways;
using Ingress.Config.Analysis.Injection;
using Ingress.Config.Analysis.Security;
using Ingress.Config.Analysis.Services;
using Ingress.Config.Analysis.Telemetry;
using Ingress.Config.Analysis.VirtualServices;
using Ingress.Config.Diagnostics;

namespace Ingress.Config.Analysis;

/// <summary>Every analyzer, sorted by name, and the one way to run them.</summary>
public static class AnalyzerRegistry
{
    /// <summary>All analyzers, sorted by <see cref="IAnalyzer.Name"/>.</summary>
    public static IReadOnlyList<IAnalyzer> All { get; } = new IAnalyzer[]
    {
        new ConflictingGatewayAnalyzer(),
        new DuplicateCertificateAnalyzer(),
        new GatewayPortAnalyzer(),
        new GatewaySecretAnalyzer(),
        new ServerPortConflictAnalyzer(),
        new DestinationHostAnalyzer(),
        new DestinationSubsetAnalyzer(),
        new OredMatchAnalyzer(),
        new UnreachableRuleAnalyzer(),
        new VirtualServiceGatewayAnalyzer(),
        new ConflictingMeshGatewayHostsAnalyzer(),
        new JwtClaimRouteAnalyzer(),
        new CaCertificateAnalyzer(),
        new SubsetSelectPodAnalyzer(),
        new PortNameAnalyzer(),
        new NamespaceInjectionAnalyzer(),
        new PolicySelectorAnalyzer(),
        new AuthorizationPolicyMatchAnalyzer(),
        new RequestPrincipalAnalyzer(),
        new JwksUriLocalAnalyzer(),
        new StrictMtlsInjectionAnalyzer(),
        new IssuerReferenceAnalyzer(),
        new CertificateSecretNamespaceAnalyzer(),
        new Http01ChallengeAnalyzer(),
        new ConditionAnalyzer(),
        new ShadowedRuleAnalyzer(),
        new IneffectiveSelectorAnalyzer(),
        new AuthorizationPolicyNamespaceAnalyzer(),
        new PrefixRewriteAnalyzer(),
        new TelemetryProviderAnalyzer(),
        new TelemetrySelectorAnalyzer(),
        new TelemetryDefaultSelectorAnalyzer(),
        new TelemetryLightstepAnalyzer(),
    }.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Runs <paramref name="analyzers"/> (all by default) and returns their findings ordered by file, line, code and
    /// resource, without duplicates. An analyzer that fails is reported as IST0001 instead of ending the run.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Run(AnalysisContext context, IEnumerable<IAnalyzer>? analyzers = null) =>
        (analyzers ?? All)
            .SelectMany(analyzer => RunOne(analyzer, context))
            .Distinct()
            .OrderBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ThenBy(d => d.Resource, StringComparer.Ordinal)
            .ThenBy(d => d.FieldPath, StringComparer.Ordinal)
            .ToList();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "A bug in one analyzer must not hide the others' findings.")]
    private static List<Diagnostic> RunOne(IAnalyzer analyzer, AnalysisContext context)
    {
        try
        {
            return analyzer.Analyze(context).ToList();
        }
        catch (Exception e)
        {
            return
            [
                new Diagnostic
                {
                    Code = Messages.InternalError.Code,
                    Severity = Messages.InternalError.Severity,
                    Message = Messages.InternalError.Format($"analyzer {analyzer.Name} failed: {e.Message}"),
                },
            ];
        }
    }
}
