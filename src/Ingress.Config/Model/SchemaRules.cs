namespace Ingress.Config.Model;

// The rules of the CRDs' OpenAPI v3 schemas, written on the model properties they constrain. The CRDs cannot ship
// with the tool, so StructuralValidator applies these; the schema tests check them against the CRDs field by field.

/// <summary>A rule from a CRD's schema. <see cref="Each"/> applies it to every item of a list or value of a map.</summary>
public abstract class SchemaRuleAttribute : Attribute
{
    /// <summary>True when the rule is on the items (<c>items</c> / <c>additionalProperties</c>), not the field.</summary>
    public bool Each { get; set; }
}

/// <summary>The schema's <c>enum</c>: the only values the API server accepts.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OneOfAttribute(params string[] values) : SchemaRuleAttribute
{
    /// <summary>The accepted values, in the schema's order (the API server lists them in that order).</summary>
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>The schema's <c>minimum</c> and <c>maximum</c> (both inclusive).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(long minimum, long maximum) : SchemaRuleAttribute
{
    public long Minimum { get; } = minimum;
    public long Maximum { get; } = maximum;
}

/// <summary>The schema's <c>minimum</c> without a maximum.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(long minimum) : SchemaRuleAttribute
{
    public long Minimum { get; } = minimum;
}

/// <summary>The schema's <c>pattern</c> (an ECMA regular expression the whole value is searched with).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern) : SchemaRuleAttribute
{
    public string Pattern { get; } = pattern;
}

/// <summary>The schema's <c>minLength</c> (in characters).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinLengthAttribute(int length) : SchemaRuleAttribute
{
    public int Length { get; } = length;
}

/// <summary>The schema's <c>maxLength</c> (in characters).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int length) : SchemaRuleAttribute
{
    public int Length { get; } = length;
}

/// <summary>The schema's <c>minItems</c> of a list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinItemsAttribute(int count) : SchemaRuleAttribute
{
    public int Count { get; } = count;
}

/// <summary>The schema's <c>maxItems</c> of a list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxItemsAttribute(int count) : SchemaRuleAttribute
{
    public int Count { get; } = count;
}

/// <summary>The schema's <c>maxProperties</c> of a map.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxPropertiesAttribute(int count) : SchemaRuleAttribute
{
    public int Count { get; } = count;
}

/// <summary>The field is in its object's <c>required</c> list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : SchemaRuleAttribute;

/// <summary>The schema's string <c>format</c> where the API server checks it (only <c>byte</c>: base64).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FormatAttribute(string format) : SchemaRuleAttribute
{
    public string Format { get; } = format;
}

/// <summary>
/// The schema's <c>x-kubernetes-list-type</c> when it is <c>set</c> (no two equal items) or <c>map</c> (no two items
/// with the same <see cref="Keys"/>); a list without it is <c>atomic</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListTypeAttribute(string type, params string[] keys) : SchemaRuleAttribute
{
    /// <summary><c>set</c> or <c>map</c>.</summary>
    public string Type { get; } = type;

    /// <summary>The <c>x-kubernetes-list-map-keys</c> of a <c>map</c> list (YAML keys of its items).</summary>
    public IReadOnlyList<string> Keys { get; } = keys;
}

/// <summary>
/// The schema's <c>oneOf</c> in the form Istio generates for a protobuf <c>oneof</c>: none or exactly one of these
/// fields may be set.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AtMostOneOfAttribute(params string[] fields) : Attribute
{
    public IReadOnlyList<string> Fields { get; } = fields;
}

/// <summary>
/// An <c>x-kubernetes-validations</c> (CEL) rule of the schema, implemented as ordinary code in
/// <see cref="CelRules"/>; <see cref="Name"/> names the implementation.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelAttribute(string name) : SchemaRuleAttribute
{
    public string Name { get; } = name;
}

/// <summary>The names of the CRDs' CEL rules that model properties and types carry (<see cref="CelAttribute"/>).</summary>
public static partial class CelRuleNames
{
    public const string Duration = "duration-at-least-1ms";
    public const string LabelKeyNoWildcard = "label-key-no-wildcard";
    public const string LabelKeyNotEmpty = "label-key-not-empty";
    public const string LabelValueNoWildcard = "label-value-no-wildcard";
    public const string TlsCertificatesOrCredentialNames = "tls-certificates-or-credential-names";
    public const string CredentialNameOrCredentialNames = "credential-name-or-credential-names";
    public const string CredentialNameOrTlsCertificates = "credential-name-or-tls-certificates";
    public const string SelectorOrTargetRefs = "selector-or-target-refs";
    public const string ServiceAccountsAlone = "service-accounts-alone";
    public const string SameNamespace = "same-namespace";
    public const string PortLevelMtlsNeedsSelector = "port-level-mtls-needs-selector";
    public const string PortKeysInRange = "port-keys-in-range";
    public const string OneJwksSource = "one-jwks-source";
    public const string HttpUrl = "http-url";
    public const string UpsertNeedsValue = "upsert-needs-value";
    public const string RemoveForbidsValue = "remove-forbids-value";
}
