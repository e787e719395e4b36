namespace Ingress.Cli;

/// <summary>
/// The exit codes of every <c>ingress</c> command: one table (docs/cli.md, "Exit codes"), checked against the real
/// process by a test. sysexits.h's codes where it has one, istioctl analyze's 79 for findings.
/// </summary>
public static class ExitCodes
{
    /// <summary>Success: nothing at or above the failure threshold, or a server stopped by SIGTERM/Ctrl+C after draining.</summary>
    public const int Clean = 0;

    /// <summary>The command could not do its work: a port cannot be bound, a part of <c>up</c> failed or exited.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong: unknown command or option, a bad or missing value, no input given (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>The input cannot be read: a missing path, a YAML syntax error, a bound exceeded, no resources at all (EX_DATAERR).</summary>
    public const int UnreadableInput = 65;

    /// <summary>Findings at or above the failure threshold (istioctl analyze's code); for the servers, a config with errors.</summary>
    public const int FindingsAboveThreshold = 79;

    /// <summary><c>up</c> stopped by Ctrl+C before everything had started (128 + SIGINT, as a shell reports it).</summary>
    public const int Interrupted = 130;
}
