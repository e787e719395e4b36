namespace Ingress.Config.Validation;

/// <summary>
/// The stable codes of <c>ingress validate</c>'s findings (this project's own; istioctl reports all of these as
/// IST0106 SchemaValidationError). Documented in docs/analyzers.md; a code is never reused for another rule.
/// </summary>
public static class ValidationCodes
{
    // Shared by several kinds
    public const string ExportTo = "ING1001";

    // Gateway
    public const string GatewayName = "ING1101";
    public const string GatewayServers = "ING1102";
    public const string GatewayHost = "ING1103";
    public const string GatewayPort = "ING1104";
    public const string GatewayPortName = "ING1105";
    public const string GatewayDuplicatePortName = "ING1106";
    public const string GatewayTlsRequired = "ING1107";
    public const string GatewayTlsOnPlaintext = "ING1108";
    public const string GatewayCertificateSource = "ING1109";
    public const string GatewayMutualCa = "ING1110";
    public const string GatewayIstioMutual = "ING1111";
    public const string GatewayTlsVersion = "ING1112";
    public const string GatewayHttpsRedirect = "ING1113";
    public const string GatewayPassthroughCertificates = "ING1114";
    public const string GatewayTlsMode = "ING1115";
    public const string GatewayCipherSuites = "ING1116";
    public const string GatewayBind = "ING1117";

    // VirtualService
    public const string VirtualServiceHosts = "ING1201";
    public const string VirtualServiceRules = "ING1202";
    public const string RouteAction = "ING1203";
    public const string RegexSyntax = "ING1204";
    public const string Redirect = "ING1205";
    public const string Rewrite = "ING1206";
    public const string Percentage = "ING1207";
    public const string HttpStatus = "ING1208";
    public const string Weight = "ING1209";
    public const string Duration = "ING1210";
    public const string HeaderName = "ING1211";
    public const string Authority = "ING1212";
    public const string Mirror = "ING1213";
    public const string GatewayReference = "ING1214";
    public const string Retries = "ING1215";
    public const string Destination = "ING1216";
    public const string Cors = "ING1217";
    public const string Fault = "ING1218";
    public const string MatchRequest = "ING1219";
    public const string HeaderNameCase = "ING1220";

    // DestinationRule
    public const string DestinationRuleHost = "ING1301";
    public const string SubsetName = "ING1302";
    public const string SubsetLabels = "ING1303";
    public const string TrafficPolicy = "ING1304";
    public const string LoadBalancer = "ING1305";
    public const string ConnectionPool = "ING1306";
    public const string OutlierDetection = "ING1307";
    public const string ClientTls = "ING1308";

    // Security
    public const string SelectorLabels = "ING1401";
    public const string AuthorizationAction = "ING1402";
    public const string AuthorizationProvider = "ING1403";
    public const string AuthorizationRule = "ING1404";
    public const string AuthorizationCondition = "ING1405";
    public const string JwtRules = "ING1406";
    public const string PeerAuthenticationMode = "ING1407";
    public const string PeerAuthenticationPorts = "ING1408";
    public const string TargetRef = "ING1409";
    public const string DryRunAnnotation = "ING1410";

    // Telemetry
    public const string TelemetryTracing = "ING1501";
    public const string TelemetryProviders = "ING1502";
    public const string TelemetryMetrics = "ING1503";

    // cert-manager
    public const string IssuerType = "ING1601";
    public const string AcmeSettings = "ING1602";
    public const string CertificateSecret = "ING1603";
    public const string CertificateIssuerRef = "ING1604";
    public const string CertificateSubject = "ING1605";
    public const string CertificateUsages = "ING1606";
    public const string CertificateKey = "ING1607";
    public const string CertificateDuration = "ING1608";
}
