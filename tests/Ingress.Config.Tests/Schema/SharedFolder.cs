namespace Ingress.Config.Tests.Schema;

/// <summary>
/// Finds the shared reference folder (<c>shared/</c> beside the clone, holding <c>seed-homework.md</c> and the
/// upstream CRDs) by walking up from the test's base directory.
/// </summary>
public static class SharedFolder
{
    private static readonly Lazy<string?> Found = new(Find);

    /// <summary>The <c>shared</c> folder, or null when there is none above the tests (a user's own clone).</summary>
    public static string? Path => Found.Value;

    /// <summary>The folder of upstream CRDs, or null.</summary>
    public static string? Schemas => Path is null ? null : System.IO.Path.Combine(Path, "schemas");

    /// <summary>Why a test that needs the folder is skipped.</summary>
    public const string SkipReason =
        "needs ../shared (the upstream CRDs and the seed homework): no ancestor of the test folder has shared/seed-homework.md";

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "shared");
            if (File.Exists(System.IO.Path.Combine(candidate, "seed-homework.md")))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that needs <c>../shared</c>; skipped with a clear message where it is absent.</summary>
public sealed class SchemaFactAttribute : FactAttribute
{
    public SchemaFactAttribute([System.Runtime.CompilerServices.CallerMemberName] string test = "", [System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        if (SharedFolder.Path is null)
        {
            Skipping.Skip(this, SharedFolder.SkipReason, file, test);
        }
    }
}

/// <summary>A theory that needs <c>../shared</c>; skipped with a clear message where it is absent.</summary>
public sealed class SchemaTheoryAttribute : TheoryAttribute
{
    public SchemaTheoryAttribute([System.Runtime.CompilerServices.CallerMemberName] string test = "", [System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        if (SharedFolder.Path is null)
        {
            Skipping.Skip(this, SharedFolder.SkipReason, file, test);
        }
    }
}

/// <summary>
/// Skips a test with its reason in the name the runner prints ("Skipped Class.Test (skipped: reason)"): dotnet test
/// lists skipped tests at its default verbosity, but shows a skip reason only at "detailed".
/// </summary>
internal static class Skipping
{
    public static void Skip(FactAttribute test, string reason, string file, string name)
    {
        test.Skip = reason;
        test.DisplayName = $"{System.IO.Path.GetFileNameWithoutExtension(file)}.{name} (skipped: {reason})";
    }
}
