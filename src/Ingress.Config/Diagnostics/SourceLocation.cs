namespace Ingress.Config.Diagnostics;

/// <summary>Where a piece of configuration was read from: file, 1-based line and column.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>A location for objects that were not read from a file (built in code, or in tests).</summary>
    public static SourceLocation None { get; } = new("<memory>", 0, 0);

    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
