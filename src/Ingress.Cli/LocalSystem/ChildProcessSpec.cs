namespace Ingress.Cli.LocalSystem;

/// <summary>One program the local system runs: what to start, with which environment, and where its output goes.</summary>
public sealed record ChildProcessSpec
{
    /// <summary>The part's name (<c>gateway</c>, <c>service0</c>, <c>dashboard</c>), used in messages and as the log file's name.</summary>
    public required string Name { get; init; }

    /// <summary>The program to run.</summary>
    public required string FileName { get; init; }

    /// <summary>Its arguments, passed as they are (no shell).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Its working folder.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Variables added to (or replacing) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The file that receives its standard output and error.</summary>
    public required string LogPath { get; init; }
}
