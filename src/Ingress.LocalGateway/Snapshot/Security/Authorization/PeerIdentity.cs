using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ingress.LocalGateway.Snapshot.Security.Authorization;

/// <summary>
/// The names in a peer certificate as Envoy reads them: URI SANs, DNS SANs and the subject in RFC 2253 form.
/// </summary>
public sealed record PeerIdentity
{
    public IReadOnlyList<string> UriSans { get; init; } = [];
    public IReadOnlyList<string> DnsSans { get; init; } = [];

    /// <summary>The subject as OpenSSL prints it with <c>XN_FLAG_RFC2253</c>, e.g. <c>CN=client,O=Example</c>.</summary>
    public string Subject { get; init; } = "";

    /// <summary>
    /// The principal Envoy reports for the peer: the first URI SAN, else the first DNS SAN, else the subject.
    /// </summary>
    public string Principal => UriSans.Count > 0 ? UriSans[0] : DnsSans.Count > 0 ? DnsSans[0] : Subject;

    /// <summary>
    /// The names Envoy's <c>authenticated</c> principal matcher tries in turn: every URI SAN, every DNS SAN, then the
    /// subject.
    /// </summary>
    public IEnumerable<string> MatchCandidates => UriSans.Concat(DnsSans).Append(Subject);

    /// <summary>Reads the names from a certificate.</summary>
    public static PeerIdentity FromCertificate(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        var dns = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != "2.5.29.17")
            {
                continue;
            }

            ReadSubjectAltNames(extension.RawData, uris, dns);
        }

        return new PeerIdentity { UriSans = uris, DnsSans = dns, Subject = Rfc2253(certificate.SubjectName) };
    }

    private static void ReadSubjectAltNames(byte[] der, List<string> uris, List<string> dns)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 6)
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6)));
            }
            else if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 2)
            {
                dns.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 2)));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }
    }

    private static readonly Dictionary<string, string> ShortNames = new()
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "STREET",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.5"] = "serialNumber",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
    };

    /// <summary>Formats a name most-specific first, comma separated, with RFC 2253 escaping (OpenSSL's output).</summary>
    internal static string Rfc2253(X500DistinguishedName name)
    {
        var parts = new List<string>();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: true))
        {
            if (rdn.HasMultipleElements)
            {
                parts.Add(rdn.RawData.Length > 0 ? "#" + Convert.ToHexStringLower(rdn.RawData.Span) : "");
                continue;
            }

            var oid = rdn.GetSingleElementType().Value ?? "";
            var key = ShortNames.TryGetValue(oid, out var shortName) ? shortName : oid;
            parts.Add(key + "=" + Escape(rdn.GetSingleElementValue() ?? ""));
        }

        return string.Join(",", parts);
    }

    private static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var special = c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                || (i == 0 && (c == '#' || c == ' '))
                || (i == value.Length - 1 && c == ' ');
            if (special)
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
