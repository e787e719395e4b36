namespace Ingress.Config.Validation;

/// <summary>
/// Presence as Istio sees it. Istio's API is proto3: a plain string, number or bool field written as <c>""</c>,
/// <c>0</c> or <c>false</c> is exactly the same as not written, so every "is it set" test in the validators goes
/// through here. Fields inside a <c>oneof</c>, messages and wrapper types (<c>google.protobuf.UInt32Value</c>) keep
/// their presence and are tested with <c>is not null</c> instead.
/// </summary>
internal static class Proto3
{
    public static bool IsSet(string? value) => !string.IsNullOrEmpty(value);

    public static bool IsSet(int? value) => value is not (null or 0);

    public static bool IsSet(bool? value) => value == true;

    /// <summary>The value Istio reads: the written text, or <c>""</c> when absent.</summary>
    public static string Value(string? value) => value ?? "";
}
