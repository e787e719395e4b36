using Ingress.Config.Diagnostics;

namespace Ingress.Config.Loading;

/// <summary>
/// Finds keys written twice in one mapping. YAML parsers silently keep one value, which hides real mistakes (a
/// second <c>uri:</c> in a match block drops the first condition), so every duplicate is an error.
/// </summary>
internal static class DuplicateKeys
{
    public static void Report(Node node, string path, BindScope scope)
    {
        switch (node.Kind)
        {
            case NodeKind.Mapping:
                Dictionary<string, Node>? seen = null;
                foreach (var (key, value) in node.Entries!)
                {
                    var name = key.Value!;
                    var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
                    seen ??= new Dictionary<string, Node>(StringComparer.Ordinal);
                    if (seen.TryGetValue(name, out var first))
                    {
                        var where = path.Length == 0 ? "at the top level" : $"in {path}";
                        scope.Report(LoaderCodes.DuplicateKey, fieldPath, key,
                            $"duplicate key \"{name}\" {where} (lines {first.Line} and {key.Line}): YAML keeps only " +
                            $"the last value, so the one on line {first.Line} is silently ignored. Keep one, or " +
                            "make them separate list items if both were meant", Severity.Error);
                    }
                    else
                    {
                        seen[name] = key;
                    }

                    Report(value, fieldPath, scope);
                }

                break;

            case NodeKind.Sequence:
                for (var i = 0; i < node.Items!.Count; i++)
                {
                    Report(node.Items[i], $"{path}[{i}]", scope);
                }

                break;
        }
    }
}
