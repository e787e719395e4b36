using System.Globalization;

namespace Ingress.Cli.LocalSystem;

/// <summary>
/// Whether this process started with a signal ignored. A shell starts the commands of an asynchronous list
/// (<c>cmd &amp;</c> in a script) with SIGINT and SIGQUIT ignored, exec keeps them so, and .NET then never handles
/// them ("we respect ignored signals", System.Native pal_signal.c), whatever the program registers.
/// </summary>
public static class SignalDisposition
{
    /// <summary>SIGINT, what Ctrl+C sends.</summary>
    public const int SIGINT = 2;

    /// <summary>Reads the ignored-signal mask of /proc/self/status (Linux); false where it cannot be read.</summary>
    public static bool IsIgnored(int signal)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return line is not null
                   && ulong.TryParse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
                   && (mask & (1UL << (signal - 1))) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
