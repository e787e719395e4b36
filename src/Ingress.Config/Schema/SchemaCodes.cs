namespace Ingress.Config.Schema;

/// <summary>The stable codes of the findings the CRDs' own rules produce (documented in docs/conformance.md).</summary>
public static class SchemaCodes
{
    /// <summary>A value the CRD's OpenAPI schema rejects: enum, range, length, pattern, items, required, oneOf, format.</summary>
    public const string Structural = "ING0901";

    /// <summary>A value an <c>x-kubernetes-validations</c> (CEL) rule of the CRD rejects.</summary>
    public const string CelRule = "ING0902";

    /// <summary>A field the CRD has but this project refuses (see <see cref="RefusedFields"/>).</summary>
    public const string RefusedField = "ING0903";
}
