using System.Globalization;
using System.Reflection;
using Ingress.Config.Model;
using Ingress.Config.Schema;

namespace Ingress.Config.Tests.Schema;

/// <summary>How the project treats one field of a CRD.</summary>
public enum FieldStatus
{
    /// <summary>In the model and interpreted.</summary>
    Modelled,

    /// <summary>In the model as <see cref="Opaque"/>: kept as written, not interpreted; the fields below it are covered.</summary>
    Kept,

    /// <summary>On <see cref="RefusedFields"/>: refused as not supported.</summary>
    Refused,
}

/// <summary>One field path of a CRD (<c>spec.servers[].tls.mode</c>) and how the project treats it.</summary>
public sealed record FieldRow(string Path, FieldStatus Status, string Rules, string Note);

/// <summary>One CEL rule of a CRD, where it is, and whether <c>ingress validate</c> evaluates it.</summary>
public sealed record CelRow(string Path, string Message, string Rule, string? ImplementedBy, string? WhyNot);

/// <summary>The result of walking one CRD version's spec against the model.</summary>
public sealed record WalkResult(IReadOnlyList<FieldRow> Fields, IReadOnlyList<CelRow> Cel, IReadOnlyList<string> Problems);

/// <summary>
/// Walks <c>openAPIV3Schema.properties.spec</c> of a CRD beside the model records: every schema field must be
/// modelled, kept (<see cref="Opaque"/>) or refused; every model field must be in the schema; and the rules written on
/// the model (enum, range, lengths, pattern, items, required, oneOf, CEL) must equal the schema's.
/// </summary>
public sealed class SchemaWalk
{
    private readonly List<FieldRow> _fields = [];
    private readonly List<CelRow> _cel = [];
    private readonly List<string> _problems = [];
    private readonly HashSet<RefusedField> _refusedSeen;

    private SchemaWalk(HashSet<RefusedField> refusedSeen) => _refusedSeen = refusedSeen;

    /// <summary>Walks the spec of one CRD version against the spec type of a model resource.</summary>
    public static WalkResult Run(CrdVersion crd, Type resourceType, HashSet<RefusedField>? refusedSeen = null)
    {
        var walk = new SchemaWalk(refusedSeen ?? []);
        var specField = ModelFields.Find(resourceType, "spec")
            ?? throw new InvalidOperationException($"{resourceType.Name} has no spec");
        if (!crd.Schema.Properties.TryGetValue("spec", out var spec))
        {
            walk._problems.Add("the CRD has no spec");
        }
        else
        {
            walk.Value(spec, specField.Shape, "spec", specField, itemLevel: false);
        }

        return new WalkResult(walk._fields, walk._cel, walk._problems);
    }

    private void Value(SchemaNode node, ValueShape shape, string path, ModelField field, bool itemLevel)
    {
        CheckType(node, shape, path);
        var rules = CheckRules(node, shape, path, field, itemLevel);

        if (shape.Kind == ValueKind.Opaque)
        {
            _fields.Add(new FieldRow(path, FieldStatus.Kept, rules, CountBelow(node) is var n and > 0 ? $"{n} fields below, kept as written" : "kept as written"));
            CollectUnevaluated(node, path, "inside a field kept as written (not interpreted)", includeSelf: true);
            return;
        }

        if (path != "spec")
        {
            _fields.Add(new FieldRow(path, FieldStatus.Modelled, rules, ""));
        }

        switch (shape.Kind)
        {
            case ValueKind.Object:
                Object(node, shape.Type, path);
                break;
            case ValueKind.List when node.Items is not null:
                Value(node.Items, shape.Element!, path + "[]", field, itemLevel: true);
                break;
            case ValueKind.Map when node.AdditionalProperties is not null:
                Value(node.AdditionalProperties, shape.Element!, path + ".*", field, itemLevel: true);
                break;
        }
    }

    private void Object(SchemaNode node, Type type, string path)
    {
        var model = ModelFields.Of(type);
        foreach (var (name, child) in node.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var childPath = $"{path}.{name}";
            var field = model.FirstOrDefault(f => f.Name == name);
            if (field is not null)
            {
                if (RefusedFields.Find(type, name) is not null)
                {
                    _problems.Add($"{childPath}: both modelled ({type.Name}.{field.Property.Name}) and refused");
                }

                CheckDefault(child, type, field, childPath);
                Value(child, field.Shape, childPath, field, itemLevel: false);
                continue;
            }

            if (RefusedFields.Find(type, name) is { } refused)
            {
                _refusedSeen.Add(refused);
                _fields.Add(new FieldRow(childPath, FieldStatus.Refused, "", refused.Reason));
                CollectUnevaluated(child, childPath, "the field is refused", includeSelf: true);
                continue;
            }

            _problems.Add($"{childPath}: in the CRD but neither modelled nor refused (add it to {type.Name}, or to RefusedFields with a reason)");
        }

        foreach (var field in model.Where(f => !node.Properties.ContainsKey(f.Name)))
        {
            _problems.Add($"{path}.{field.Name}: in the model ({type.Name}.{field.Property.Name}) but not in the CRD");
        }

        var required = model.Where(f => f.Rule<RequiredAttribute>() is not null).Select(f => f.Name).Order(StringComparer.Ordinal);
        Compare(path, "required", string.Join(",", node.Required.Order(StringComparer.Ordinal)), string.Join(",", required));

        var expectedOneOf = type.GetCustomAttribute<AtMostOneOfAttribute>() is { } oneOf
            ? string.Join(" | ", new[] { "" }.Concat(oneOf.Fields))
            : "";
        Compare(path, "oneOf", string.Join(" | ", node.OneOf.Select(a => string.Join("+", a))), expectedOneOf);
    }

    private string CheckRules(SchemaNode node, ValueShape shape, string path, ModelField field, bool itemLevel)
    {
        T? Rule<T>() where T : SchemaRuleAttribute =>
            field.Property.GetCustomAttributes<T>().FirstOrDefault(a => a.Each == itemLevel);

        var summary = new List<string>();
        var oneOf = Rule<OneOfAttribute>();
        Compare(path, "enum", node.Enum is null ? "" : string.Join(",", node.Enum), oneOf is null ? "" : string.Join(",", oneOf.Values));
        if (node.Enum is not null)
        {
            summary.Add("enum " + string.Join(", ", node.Enum));
        }

        var range = Rule<RangeAttribute>();
        var minimum = Rule<MinimumAttribute>();
        var expectedMin = range?.Minimum ?? minimum?.Minimum;
        Compare(path, "minimum", Text(node.Minimum), expectedMin?.ToString(CultureInfo.InvariantCulture) ?? "");
        Compare(path, "maximum", Text(node.Maximum), range?.Maximum.ToString(CultureInfo.InvariantCulture) ?? "");
        if (node.Minimum is not null || node.Maximum is not null)
        {
            summary.Add($"{Text(node.Minimum)}..{Text(node.Maximum)}".Trim());
        }

        Compare(path, "minLength", node.MinLength?.ToString(CultureInfo.InvariantCulture) ?? "", Rule<MinLengthAttribute>()?.Length.ToString(CultureInfo.InvariantCulture) ?? "");
        Compare(path, "maxLength", node.MaxLength?.ToString(CultureInfo.InvariantCulture) ?? "", Rule<MaxLengthAttribute>()?.Length.ToString(CultureInfo.InvariantCulture) ?? "");
        Compare(path, "pattern", node.Pattern ?? "", Rule<PatternAttribute>()?.Pattern ?? "");
        Compare(path, "minItems", node.MinItems?.ToString(CultureInfo.InvariantCulture) ?? "", Rule<MinItemsAttribute>()?.Count.ToString(CultureInfo.InvariantCulture) ?? "");
        Compare(path, "maxItems", node.MaxItems?.ToString(CultureInfo.InvariantCulture) ?? "", Rule<MaxItemsAttribute>()?.Count.ToString(CultureInfo.InvariantCulture) ?? "");
        Compare(path, "maxProperties", node.MaxProperties?.ToString(CultureInfo.InvariantCulture) ?? "", Rule<MaxPropertiesAttribute>()?.Count.ToString(CultureInfo.InvariantCulture) ?? "");
        Compare(path, "format", node.Format == "byte" ? "byte" : "", Rule<FormatAttribute>()?.Format ?? "");
        var listType = Rule<ListTypeAttribute>();
        Compare(path, "x-kubernetes-list-type", node.ListType is null ? "" : $"{node.ListType} {string.Join(",", node.ListMapKeys)}".Trim(),
            listType is null ? "" : $"{listType.Type} {string.Join(",", listType.Keys)}".Trim());
        if (node.ListType == "set")
        {
            summary.Add("items unique");
        }
        else if (node.ListType == "map")
        {
            summary.Add($"unique by {string.Join(", ", node.ListMapKeys)}");
        }

        if (node.Default is { } schemaDefault)
        {
            summary.Add($"default {Show(schemaDefault)}");
        }

        if (node.MinLength is { } minLength)
        {
            summary.Add($"minLength {minLength}");
        }

        if (node.MaxLength is { } maxLength)
        {
            summary.Add($"maxLength {maxLength}");
        }

        if (node.Pattern is { } pattern)
        {
            summary.Add($"pattern `{pattern}`");
        }

        if (node.MinItems is { } minItems)
        {
            summary.Add($"minItems {minItems}");
        }

        if (node.MaxItems is { } maxItems)
        {
            summary.Add($"maxItems {maxItems}");
        }

        if (node.MaxProperties is { } maxProperties)
        {
            summary.Add($"maxProperties {maxProperties}");
        }

        if (node.Format == "byte")
        {
            summary.Add("base64");
        }

        if (node.Required.Count > 0 && shape.Kind != ValueKind.Opaque)
        {
            summary.Add("requires " + string.Join(", ", node.Required));
        }

        if (node.OneOf.Count > 0 && shape.Kind != ValueKind.Opaque)
        {
            summary.Add("at most one of " + string.Join(", ", node.OneOf.Where(a => a.Count > 0).Select(a => a[0])));
        }

        if (shape.Kind != ValueKind.Opaque)
        {
            // CEL: the rules on the property (at this level) and on the record type, if this is an object.
            var implemented = field.Property.GetCustomAttributes<CelAttribute>().Where(a => a.Each == itemLevel).Select(a => a.Name).ToList();
            if (shape.Kind == ValueKind.Object)
            {
                implemented.AddRange(shape.Type.GetCustomAttributes<CelAttribute>().Select(a => a.Name));
            }

            foreach (var name in implemented.Where(n => !CelRules.All.ContainsKey(n)))
            {
                _problems.Add($"{path}: [Cel(\"{name}\")] names no rule in CelRules");
            }

            var byExpression = implemented.Where(CelRules.All.ContainsKey).Select(n => CelRules.All[n])
                .ToDictionary(r => CelRules.Normalize(r.Expression), StringComparer.Ordinal);
            foreach (var validation in node.Validations)
            {
                var expression = CelRules.Normalize(validation.Rule);
                if (byExpression.Remove(expression, out var rule))
                {
                    if (rule.Message != validation.Message)
                    {
                        _problems.Add($"{path}: CEL rule {rule.Name} says \"{rule.Message}\" but the CRD says \"{validation.Message}\"");
                    }

                    _cel.Add(rule.NotEvaluated is null
                        ? new CelRow(path, validation.Message, validation.Rule, rule.Name, null)
                        : new CelRow(path, validation.Message, validation.Rule, null, rule.NotEvaluated));
                }
                else
                {
                    _problems.Add($"{path}: CEL rule `{expression}` (\"{validation.Message}\") is not implemented; add it to CelRules and mark the field");
                }
            }

            foreach (var stale in byExpression.Values)
            {
                _problems.Add($"{path}: [Cel(\"{stale.Name}\")] is not a rule of the CRD here");
            }

            summary.AddRange(node.Validations.Select(v => $"CEL: {v.Message}"));
        }

        return string.Join("; ", summary);
    }

    private void CheckType(SchemaNode node, ValueShape shape, string path)
    {
        var ok = shape.Kind switch
        {
            ValueKind.Opaque => true,
            ValueKind.String => node.Type == "string" || node.IntOrString,
            ValueKind.Integer => node.Type == "integer",
            ValueKind.Number => node.Type == "number",
            ValueKind.Boolean => node.Type == "boolean",
            ValueKind.Timestamp => node.Type == "string" && node.Format == "date-time",
            ValueKind.Object => node.Type == "object" && node.AdditionalProperties is null,
            ValueKind.List => node.Type == "array",
            ValueKind.Map => node.Type == "object" && node.AdditionalProperties is not null && node.Properties.Count == 0,
            _ => false,
        };
        if (!ok)
        {
            _problems.Add($"{path}: the CRD says {node.Type}{(node.AdditionalProperties is null ? "" : " (map)")} but the model has {shape.Kind} ({shape.Type.Name})");
        }
    }

    private void CollectUnevaluated(SchemaNode node, string path, string why, bool includeSelf)
    {
        if (includeSelf)
        {
            foreach (var validation in node.Validations)
            {
                _cel.Add(new CelRow(path, validation.Message, validation.Rule, null, why));
            }
        }

        foreach (var (name, child) in node.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            CollectUnevaluated(child, $"{path}.{name}", why, includeSelf: true);
        }

        if (node.Items is not null)
        {
            CollectUnevaluated(node.Items, path + "[]", why, includeSelf: true);
        }

        if (node.AdditionalProperties is not null)
        {
            CollectUnevaluated(node.AdditionalProperties, path + ".*", why, includeSelf: true);
        }
    }

    /// <summary>
    /// The CRD's <c>default</c> of a field against the model's (the property's initializer, which the loader leaves in
    /// place when the field is not written, as the API server fills the default in): every part the CRD sets must be
    /// the model's, and the model has no default the CRD lacks.
    /// </summary>
    private void CheckDefault(SchemaNode node, Type owner, ModelField field, string path)
    {
        if (field.Shape.Kind == ValueKind.Opaque)
        {
            return;
        }

        var modelDefault = field.ValueIn(Activator.CreateInstance(owner)!);
        var modelHasDefault = modelDefault is not null && modelDefault is not System.Collections.ICollection { Count: 0 };
        if (node.Default is null)
        {
            if (modelHasDefault)
            {
                _problems.Add($"{path}: the model defaults it to {ShowModel(modelDefault)} but the CRD has no default");
            }

            return;
        }

        if (!modelHasDefault)
        {
            _problems.Add($"{path}: the CRD defaults it to {Show(node.Default)} but the model does not (give {owner.Name}.{field.Property.Name} that initializer)");
        }
        else if (!Covers(modelDefault!, node.Default))
        {
            _problems.Add($"{path}: the CRD defaults it to {Show(node.Default)} but the model to {ShowModel(modelDefault)}");
        }
    }

    /// <summary>Whether a model value holds every part of a CRD default (scalars compared as YAML writes them).</summary>
    private static bool Covers(object? model, object schema) => schema switch
    {
        string text => model is not null && ScalarText(model) == text,
        List<object> items => model is System.Collections.IEnumerable values and not string &&
                              values.Cast<object?>().ToList() is var list && list.Count == items.Count &&
                              list.Zip(items).All(p => Covers(p.First, p.Second)),
        Dictionary<string, object> map => model is not null && map.All(entry =>
            ModelFields.Find(model.GetType(), entry.Key) is { } f && Covers(f.ValueIn(model), entry.Value)),
        _ => false,
    };

    private static string ScalarText(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A CRD default as it reads in YAML flow style.</summary>
    private static string Show(object value) => value switch
    {
        string text => text.Length == 0 ? "\"\"" : text,
        List<object> items => "[" + string.Join(", ", items.Select(Show)) + "]",
        Dictionary<string, object> map => "{" + string.Join(", ", map.Select(e => $"{e.Key}: {Show(e.Value)}")) + "}",
        _ => value.ToString() ?? "",
    };

    private static string ShowModel(object? value) => value switch
    {
        null => "null",
        string or bool or IFormattable => Show(ScalarText(value)),
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(ShowModel)) + "]",
        _ => value.GetType().Name,
    };

    private static int CountBelow(SchemaNode node) =>
        node.Properties.Values.Sum(c => 1 + CountBelow(c)) +
        (node.Items is null ? 0 : CountBelow(node.Items)) +
        (node.AdditionalProperties is null ? 0 : CountBelow(node.AdditionalProperties));

    private void Compare(string path, string what, string schema, string model)
    {
        if (schema != model)
        {
            _problems.Add($"{path}: {what} in the CRD is [{schema}] but the model says [{model}]");
        }
    }

    private static string Text(decimal? value) => value?.ToString("0.##########", CultureInfo.InvariantCulture) ?? "";
}

/// <summary>The kinds the model supports, with the API group their CRD is served under.</summary>
public static class ModelledKinds
{
    public static IReadOnlyList<(string Group, string Kind, Type Type)> All { get; } =
    [
        ("networking.istio.io", "Gateway", typeof(Gateway)),
        ("networking.istio.io", "VirtualService", typeof(VirtualService)),
        ("networking.istio.io", "DestinationRule", typeof(DestinationRule)),
        ("security.istio.io", "PeerAuthentication", typeof(PeerAuthentication)),
        ("security.istio.io", "AuthorizationPolicy", typeof(AuthorizationPolicy)),
        ("security.istio.io", "RequestAuthentication", typeof(RequestAuthentication)),
        ("telemetry.istio.io", "Telemetry", typeof(Telemetry)),
        ("cert-manager.io", "Issuer", typeof(Issuer)),
        ("cert-manager.io", "ClusterIssuer", typeof(ClusterIssuer)),
        ("cert-manager.io", "Certificate", typeof(Certificate)),
        (GatewayApiPatterns.ApiGroup, "GatewayClass", typeof(GatewayClass)),
        (GatewayApiPatterns.ApiGroup, "Gateway", typeof(KubernetesGateway)),
        (GatewayApiPatterns.ApiGroup, "HTTPRoute", typeof(KubernetesHttpRoute)),
        (GatewayApiPatterns.ApiGroup, "GRPCRoute", typeof(KubernetesGrpcRoute)),
        (GatewayApiPatterns.ApiGroup, "ReferenceGrant", typeof(ReferenceGrant)),
        (GatewayApiPatterns.ApiGroup, "BackendTLSPolicy", typeof(BackendTlsPolicy)),
    ];

    /// <summary>The modelled kind of a group and kind name (two groups have a Gateway).</summary>
    public static (string Group, string Kind, Type Type) Find(string group, string kind) =>
        All.Single(k => k.Group == group && k.Kind == kind);

    /// <summary>How the docs name a kind: with its group when another group has a kind of that name.</summary>
    public static string Display(string group, string kind) =>
        All.Count(k => k.Kind == kind) > 1 && group != "networking.istio.io" ? $"{kind} ({group})" : kind;

    /// <summary>Every (kind, served version) pair, for theories.</summary>
    public static TheoryData<string, string, string> KindVersions()
    {
        var data = new TheoryData<string, string, string>();
        if (SharedFolder.Path is null)
        {
            // A skipped theory still needs one row.
            data.Add("none", "none", "none");
            return data;
        }

        foreach (var (group, kind, _) in All)
        {
            foreach (var crd in Crds.All.Where(c => c.Group == group && c.Kind == kind))
            {
                data.Add(group, kind, crd.Version);
            }
        }

        return data;
    }
}
