namespace Ingress.Cli.LocalSystem;

/// <summary>A reason the local system cannot start, worded for the user (what failed and what to do).</summary>
public sealed class LocalSystemException : Exception
{
    /// <summary>Creates the exception with the user-facing message.</summary>
    public LocalSystemException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the user-facing message and its cause.</summary>
    public LocalSystemException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message (for serializers and analyzers).</summary>
    public LocalSystemException()
    {
    }
}
