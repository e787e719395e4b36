using Ingress.Config.Schema;

namespace Ingress.Config.Tests.Schema;

public sealed class SchemaCoverageTests
{
    [SchemaTheory]
    [MemberData(nameof(ModelledKinds.KindVersions), MemberType = typeof(ModelledKinds))]
    public void Every_CRD_field_is_modelled_kept_or_refused_and_every_rule_matches(string group, string kind, string version)
    {
        var (_, _, type) = ModelledKinds.Find(group, kind);
        var crd = Crds.Find(group, version, kind)!;

        var result = SchemaWalk.Run(crd, type);

        // Every problem on its own line, so a new upstream field reads as a to-do list.
        Assert.True(result.Problems.Count == 0, $"{kind} {version}:\n" + string.Join("\n", result.Problems));
    }

    [SchemaFact]
    public void Every_modelled_kind_has_a_served_CRD()
    {
        var missing = ModelledKinds.All
            .Where(k => !Crds.All.Any(c => c.Group == k.Group && c.Kind == k.Kind))
            .Select(k => $"{k.Group}/{k.Kind}");

        Assert.Equal([], missing);
    }

    [SchemaFact]
    public void Every_refused_field_is_a_field_of_some_CRD()
    {
        var seen = new HashSet<RefusedField>();
        foreach (var (group, kind, type) in ModelledKinds.All)
        {
            foreach (var crd in Crds.All.Where(c => c.Group == group && c.Kind == kind))
            {
                SchemaWalk.Run(crd, type, seen);
            }
        }

        Assert.Equal([], RefusedFields.All.Where(r => !seen.Contains(r)).Select(r => $"{r.Owner.Name}.{r.Name}"));
    }
}
