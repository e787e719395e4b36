using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ingress.LocalGateway.Snapshot.Security.Authorization;

namespace Ingress.LocalGateway.Runtime.Security.Mtls;

/// <summary>
/// The <c>x-forwarded-client-cert</c> element Envoy builds for a client certificate
/// (<c>ConnectionManagerUtility::mutateXfccRequestHeader</c>): <c>By=</c> the local certificate's URI SANs,
/// <c>Hash=</c> the SHA-256 of the client certificate's DER in lower-case hex, then the details in Envoy's fixed
/// order Cert, Subject, URI, DNS (Istio's gateway sets Subject, Cert, URI and DNS; its sidecars Subject, URI, DNS).
/// </summary>
public static class ForwardedClientCert
{
    public const string HeaderName = "x-forwarded-client-cert";

    /// <summary>Builds the element for one hop.</summary>
    public static string Format(X509Certificate2 client, IReadOnlyList<string> localUriSans, bool includeCert)
    {
        var parts = new List<string>();
        foreach (var uri in localUriSans)
        {
            parts.Add("By=" + uri);
        }

        parts.Add("Hash=" + Convert.ToHexStringLower(SHA256.HashData(client.RawData)));
        if (includeCert)
        {
            parts.Add("Cert=\"" + UrlEncodePem(client.ExportCertificatePem() + "\n") + "\"");
        }

        var identity = PeerIdentity.FromCertificate(client);
        parts.Add("Subject=\"" + identity.Subject + "\"");
        if (identity.UriSans.Count == 0)
        {
            parts.Add("URI=");
        }

        foreach (var uri in identity.UriSans)
        {
            parts.Add("URI=" + uri);
        }

        foreach (var dns in identity.DnsSans)
        {
            parts.Add("DNS=" + dns);
        }

        return string.Join(";", parts);
    }

    // Envoy percent-encodes the PEM: newline, space, '+', '/' and '=' are the only characters of a PEM it changes.
    private static string UrlEncodePem(string pem)
    {
        var sb = new StringBuilder(pem.Length + 128);
        foreach (var c in pem)
        {
            sb.Append(c switch
            {
                '\n' => "%0A",
                ' ' => "%20",
                '+' => "%2B",
                '/' => "%2F",
                '=' => "%3D",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}
