using System.Globalization;
using System.Text;

namespace Ingress.Cli.LocalSystem;

/// <summary>What <c>ingress up</c> prints once the system is ready: the user's curl checks with verified TLS, and where to look.</summary>
public static class NextSteps
{
    /// <summary>The text, with paths as the user would type them from the current folder.</summary>
    public static string Render(RunningLocalSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var host = LocalCertificateAuthority.GatewayHost;
        var https = system.Ports.HttpsPort;
        var http = system.Ports.HttpPort;
        var ca = StateDirectory.Display(system.Certificates.CaCertificatePath);
        var tls = $"curl --resolve {host}:{https}:127.0.0.1 --cacert {ca} https://{host}:{https}";
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"The local system is ready ({system.Startup.TotalSeconds.ToString("0.0", culture)} s).");
        text.AppendLine();
        text.AppendLine("Try it (TLS verified against the local CA, no -k):");
        text.AppendLine(culture, $"  {tls}/test/hello");
        text.AppendLine(culture, $"  {tls}/test/metrics");
        text.AppendLine(culture, $"  {tls}/test/chain        # gateway -> service0 -> service1 -> service2: one trace");
        text.AppendLine(culture, $"  curl -H 'x-canary: true' --resolve {host}:{https}:127.0.0.1 --cacert {ca} -i https://{host}:{https}/test/hello   # Version: v2");
        text.AppendLine(culture, $"  curl -i --resolve {host}:{http}:127.0.0.1 http://{host}:{http}/test/hello   # 301 to https");
        text.AppendLine();
        if (system.DashboardUrl is { } dashboard)
        {
            text.AppendLine(culture, $"Traces:         {dashboard}traces");
        }

        text.AppendLine(culture, $"Gateway admin:  http://127.0.0.1:{system.Ports.AdminPort}/config_dump");
        text.AppendLine(culture, $"Manifests:      {system.ManifestSource}");
        text.AppendLine(culture, $"Logs:           {StateDirectory.Display(Path.Combine(system.StateDirectory, "logs"))}");
        text.AppendLine();
        text.Append("Press Ctrl+C to stop everything.");
        return text.ToString();
    }
}
