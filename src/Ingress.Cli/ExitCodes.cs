namespace Ingress.Cli;

/// <summary>The exit codes of <c>ingress validate</c> and <c>ingress analyze</c> (istioctl's where it has them).</summary>
public static class ExitCodes
{
    /// <summary>Nothing at or above the failure threshold.</summary>
    public const int Clean = 0;

    /// <summary>The command line itself was wrong (no input given, unknown option).</summary>
    public const int Usage = 64;

    /// <summary>Some input could not be read: a missing path or a YAML syntax error (sysexits EX_DATAERR).</summary>
    public const int UnreadableInput = 65;

    /// <summary>Findings at or above the failure threshold (istioctl analyze's code).</summary>
    public const int FindingsAboveThreshold = 79;
}
