using System.Text;
using Ingress.LocalGateway.Snapshot;

namespace Ingress.LocalGateway.Runtime.Edge;

/// <summary>
/// Normalizes a request's path once, as Envoy's connection manager does under Istio's
/// <see cref="PathNormalization"/> (<c>ConnectionManagerUtility::maybeNormalizePath</c>): the fragment is cut off
/// (Istio's bootstrap strips it rather than rejecting it), escaped slashes are decoded under
/// <see cref="PathNormalization.DecodeAndMergeSlashes"/>, the path is canonicalized (<c>PathUtil::canonicalPath</c>,
/// the googleurl path canonicalizer) and repeated slashes are merged. The query is never touched.
/// </summary>
public static class PathCanonicalizer
{
    /// <summary>
    /// Normalizes a request target (<c>/path?query#fragment</c>). False when Envoy refuses it
    /// (<c>path_normalization_failed</c>: a NUL byte, raw or as <c>%00</c>).
    /// </summary>
    /// <param name="target">The origin-form request target as received.</param>
    /// <param name="mode">The mesh's path normalization.</param>
    /// <param name="pathAndQuery">The normalized path with the query as received (its <c>?</c> kept).</param>
    /// <param name="pathLength">The length of the path part of <paramref name="pathAndQuery"/>.</param>
    public static bool TryNormalize(string target, PathNormalization mode, out string pathAndQuery, out int pathLength)
    {
        var fragment = target.IndexOf('#', StringComparison.Ordinal);
        var withoutFragment = fragment >= 0 ? target[..fragment] : target;
        var q = withoutFragment.IndexOf('?', StringComparison.Ordinal);
        var path = q >= 0 ? withoutFragment[..q] : withoutFragment;
        var query = q >= 0 ? withoutFragment[q..] : "";

        if (mode == PathNormalization.DecodeAndMergeSlashes)
        {
            path = UnescapeSlashes(path);
        }

        if (mode != PathNormalization.None)
        {
            if (!TryCanonicalize(StripDotSegmentParameters(path), out path))
            {
                pathAndQuery = withoutFragment;
                pathLength = q >= 0 ? q : withoutFragment.Length;
                return false;
            }

            if (mode is PathNormalization.MergeSlashes or PathNormalization.DecodeAndMergeSlashes)
            {
                path = MergeSlashes(path);
            }
        }

        pathLength = path.Length;
        pathAndQuery = query.Length == 0 ? path : path + query;
        return true;
    }

    /// <summary>Envoy's <c>PathUtil::unescapeSlashes</c>: <c>%2F</c>/<c>%2f</c> become <c>/</c>, <c>%5C</c>/<c>%5c</c> become <c>\</c>.</summary>
    public static string UnescapeSlashes(string path)
    {
        if (!path.Contains('%', StringComparison.Ordinal))
        {
            return path;
        }

        var output = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && path[i + 1] is '2' or '5')
            {
                var pair = (path[i + 1], char.ToUpperInvariant(path[i + 2]));
                if (pair is ('2', 'F') or ('5', 'C'))
                {
                    output.Append(pair.Item1 == '2' ? '/' : '\\');
                    i += 2;
                    continue;
                }
            }

            output.Append(path[i]);
        }

        return output.ToString();
    }

    /// <summary>
    /// Envoy's <c>stripParametersFromDotSegments</c> (CVE-2026-73551, Envoy 1.38.4 and 1.39.1): a segment that starts
    /// with <c>..;</c> is a <c>..</c> segment and one that starts with <c>.;</c> a <c>.</c> segment, so a path parameter
    /// cannot hide a dot segment from normalization while a backend that drops parameters resolves it.
    /// </summary>
    public static string StripDotSegmentParameters(string path)
    {
        if (!path.Contains(".;", StringComparison.Ordinal))
        {
            return path;
        }

        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].StartsWith("..;", StringComparison.Ordinal))
            {
                segments[i] = "..";
            }
            else if (segments[i].StartsWith(".;", StringComparison.Ordinal))
            {
                segments[i] = ".";
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>Envoy's <c>PathUtil::mergeSlashes</c>: runs of <c>/</c> become one, leading and trailing slash kept.</summary>
    public static string MergeSlashes(string path)
    {
        if (!path.Contains("//", StringComparison.Ordinal))
        {
            return path;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var merged = string.Join('/', segments);
        var leading = path.StartsWith('/') ? "/" : "";
        // A path of slashes only keeps two, as Envoy's (the leading one and the trailing one).
        var trailing = path.EndsWith('/') ? "/" : "";
        return leading + merged + trailing;
    }

    /// <summary>
    /// The googleurl path canonicalizer as Envoy links it (<c>url::CanonicalizePath</c>). False when the path holds a
    /// NUL byte, raw or escaped (the only input it refuses).
    /// </summary>
    public static bool TryCanonicalize(string path, out string canonical)
    {
        var output = new StringBuilder(path.Length + 8);
        var failed = false;
        var i = 0;
        if (path.Length == 0 || (path[0] != '/' && path[0] != '\\'))
        {
            output.Append('/');
        }

        // Index in the output of the last '%' that did not start a valid escape (see the nested-escape rule below).
        var barePercent = -1;
        while (i < path.Length)
        {
            var c = path[i];
            var dot = DotLength(path, i);
            if (dot > 0)
            {
                if (output.Length > 0 && output[^1] == '/')
                {
                    var after = i + dot;
                    if (after == path.Length || IsSlash(path[after]))
                    {
                        // "." segment: dropped with its separator.
                        i = after == path.Length ? after : after + 1;
                        continue;
                    }

                    var second = DotLength(path, after);
                    if (second > 0 && (after + second == path.Length || IsSlash(path[after + second])))
                    {
                        // ".." segment: back up to the previous slash, never above the first one.
                        BackUpToPreviousSlash(output);
                        var end = after + second;
                        i = end == path.Length ? end : end + 1;
                        continue;
                    }
                }

                output.Append('.');
                i += dot;
                continue;
            }

            switch (c)
            {
                case '\\':
                case '/':
                    output.Append('/');
                    i++;
                    continue;
                case '%':
                    if (i + 2 < path.Length && IsHex(path[i + 1]) && IsHex(path[i + 2]))
                    {
                        var value = (Hex(path[i + 1]) << 4) | Hex(path[i + 2]);
                        if (value == 0)
                        {
                            failed = true;
                            output.Append("%00");
                        }
                        else if (IsUnreserved((char)value))
                        {
                            output.Append((char)value);
                            CheckNestedEscape(output, ref barePercent, path, i + 3);
                        }
                        else
                        {
                            // Kept exactly as received, hex digits in their original case.
                            output.Append(path, i, 3);
                        }

                        i += 3;
                        continue;
                    }

                    barePercent = output.Length;
                    output.Append('%');
                    i++;
                    continue;
                default:
                    if (c == '\0')
                    {
                        failed = true;
                        output.Append("%00");
                    }
                    else if (c >= 0x80)
                    {
                        AppendUtf8Escaped(output, path, ref i);
                        continue;
                    }
                    else if (MustEscape(c))
                    {
                        AppendEscaped(output, (byte)c);
                    }
                    else
                    {
                        output.Append(c);
                    }

                    i++;
                    continue;
            }
        }

        canonical = output.ToString();
        return !failed;
    }

    private static bool IsSlash(char c) => c is '/' or '\\';

    // A dot at this position: "." (1) or "%2e"/"%2E" (3); 0 when there is none.
    private static int DotLength(string path, int i)
    {
        if (path[i] == '.')
        {
            return 1;
        }

        return path[i] == '%' && i + 2 < path.Length && path[i + 1] == '2' && path[i + 2] is 'e' or 'E' ? 3 : 0;
    }

    private static void BackUpToPreviousSlash(StringBuilder output)
    {
        // The output ends with '/': drop the last segment, keeping the slash before it.
        if (output.Length <= 1)
        {
            return;
        }

        var i = output.Length - 2;
        while (i > 0 && output[i] != '/')
        {
            i--;
        }

        output.Length = i + 1;
    }

    // googleurl's CheckForNestedEscapes: a bare '%' followed by characters produced by unescaping must not form an
    // escape a later decoder would read ("%%30%30" would become "%00"), so that '%' is written as "%25".
    private static void CheckNestedEscape(StringBuilder output, ref int barePercent, string path, int next)
    {
        if (barePercent < 0)
        {
            return;
        }

        var following = output.Length - barePercent - 1;
        var formsEscape = following switch
        {
            2 => IsHex(output[barePercent + 1]) && IsHex(output[barePercent + 2]),
            1 => IsHex(output[barePercent + 1]) && next < path.Length && IsHex(path[next]),
            _ => false,
        };
        if (formsEscape)
        {
            output.Insert(barePercent + 1, "25");
            barePercent = -1;
        }
        else if (following >= 2)
        {
            barePercent = -1;
        }
    }

    // The unreserved characters googleurl decodes from an escape (RFC 3986 minus '.', which the dot logic handles).
    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '~';

    // Characters googleurl escapes in a path: controls, space, '"', '#', '<', '>', '?', '^', '`', '{', '|', '}', DEL.
    private static bool MustEscape(char c) => c < 0x20 || c is ' ' or '"' or '#' or '<' or '>' or '?' or '^' or '`' or '{' or '|' or '}' or (char)0x7F;

    private static void AppendEscaped(StringBuilder output, byte value) =>
        output.Append('%').Append(HexUpper[value >> 4]).Append(HexUpper[value & 0xF]);

    private static void AppendUtf8Escaped(StringBuilder output, string path, ref int i)
    {
        // A character Kestrel decoded from the target's bytes: escape its UTF-8 bytes, as googleurl escapes every byte
        // from 0x80 up.
        var length = char.IsHighSurrogate(path[i]) && i + 1 < path.Length && char.IsLowSurrogate(path[i + 1]) ? 2 : 1;
        Span<byte> bytes = stackalloc byte[8];
        var count = Encoding.UTF8.GetBytes(path.AsSpan(i, length), bytes);
        for (var b = 0; b < count; b++)
        {
            AppendEscaped(output, bytes[b]);
        }

        i += length;
    }

    private const string HexUpper = "0123456789ABCDEF";

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int Hex(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
