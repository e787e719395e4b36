namespace Ingress.LocalGateway.Hosting.Reload;

/// <summary>
/// The codes of the findings that refuse a reload although the config itself is valid (documented in docs/gateway.md).
/// They were ING0240-ING0242 until those numbers turned out to be the compiler's too; a code now means one thing.
/// </summary>
public static class ReloadCodes
{
    /// <summary>The files hold no resource at all: at start (nothing to serve), or on reload while listeners are serving (a half-written or emptied file).</summary>
    public const string EmptyConfig = "ING0260";

    /// <summary>The new config would close every listener while some are serving.</summary>
    public const string NoListeners = "ING0261";

    /// <summary>A config file changed while it was being read; it is read again once the writes are quiet.</summary>
    public const string ChangedWhileReading = "ING0262";
}
