namespace Ingress.Config.GatewayApi;

/// <summary>
/// One status condition as a Gateway API controller writes it (<c>metav1.Condition</c>): a type, whether it holds, a
/// CamelCase reason and a message; <see cref="FieldPath"/> names the field of the object that caused a negative one.
/// </summary>
public sealed record StatusCondition(string Type, bool Status, string Reason, string Message)
{
    /// <summary>The field whose value the condition is about (a backendRef, a certificateRef), or null.</summary>
    public string? FieldPath { get; init; }

    /// <summary><c>Type=True (Reason): message</c>, as <c>ingress routes</c> prints it.</summary>
    public override string ToString() => $"{Type}={(Status ? "True" : "False")} ({Reason}): {Message}";
}

/// <summary>The condition types this project computes (<c>apis/v1</c> of the Gateway API).</summary>
public static class ConditionTypes
{
    public const string Accepted = "Accepted";
    public const string Programmed = "Programmed";
    public const string ResolvedRefs = "ResolvedRefs";
    public const string Conflicted = "Conflicted";
}

/// <summary>
/// The condition reasons: the Gateway API's (<c>apis/v1</c>) and the few Istio adds (<c>InvalidDestination</c>,
/// <c>InvalidFilter</c>, <c>InvalidConfiguration</c>), spelled as they appear in a status.
/// </summary>
public static class ConditionReasons
{
    public const string Accepted = "Accepted";
    public const string Programmed = "Programmed";
    public const string ResolvedRefs = "ResolvedRefs";
    public const string NoConflicts = "NoConflicts";
    public const string Invalid = "Invalid";

    // Routes.
    public const string NoMatchingParent = "NoMatchingParent";
    public const string NotAllowedByListeners = "NotAllowedByListeners";
    public const string NoMatchingListenerHostname = "NoMatchingListenerHostname";
    public const string RefNotPermitted = "RefNotPermitted";
    public const string BackendNotFound = "BackendNotFound";
    public const string InvalidKind = "InvalidKind";
    public const string InvalidDestination = "InvalidDestination";
    public const string InvalidFilter = "InvalidFilter";

    // Listeners.
    public const string UnsupportedProtocol = "UnsupportedProtocol";
    public const string UnsupportedValue = "UnsupportedValue";
    public const string InvalidCertificateRef = "InvalidCertificateRef";
    public const string InvalidRouteKinds = "InvalidRouteKinds";
}
