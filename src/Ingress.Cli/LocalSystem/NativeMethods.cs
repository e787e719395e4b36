using System.Runtime.InteropServices;

namespace Ingress.Cli.LocalSystem;

/// <summary>The one POSIX call .NET does not expose: signalling a whole process group.</summary>
internal static partial class NativeMethods
{
    internal const int SIGKILL = 9;
    internal const int SIGTERM = 15;

    /// <summary>kill(2): a negative pid signals every process of that process group.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
