using System.Globalization;

namespace Ingress.Config.Loading;

/// <summary>
/// The bounds on what the loader reads, so that no input (a file, standard input, or a config file written into the
/// folder a running gateway watches) can exhaust the stack, the CPU or the memory. Each bound exceeded is a finding
/// with its own code and the file:line where it was crossed; the input is then not used.
/// </summary>
public static class InputLimits
{
    /// <summary>
    /// How deep lists and mappings may nest (ING0009). The deepest object in the Istio, cert-manager and Gateway API
    /// CRDs is 38 levels (an OpenAPI schema); 256 leaves room for any real object while every recursive walk over the
    /// tree stays far from the end of a thread's stack. (go-yaml, Kubernetes' YAML reader, stops at 10,000.)
    /// </summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// The largest input read (ING0011): 16 MiB, in bytes for a file and in characters for standard input. The Kubernetes API server takes at most
    /// 3 MiB per object (MaxRequestBodyBytes), a rendered overlay of the deploy kit is about 30 KB; the bound keeps a
    /// mistaken path (a log, a disk image) or an endless pipe from being read into memory.
    /// </summary>
    public const int MaxInputSize = 16 * 1024 * 1024;

    // go-yaml's decoder (decode.go, allowedAliasRatio; Kubernetes' CVE-2019-11253 fix) refuses a document once more
    // than 100 of the nodes it decoded came from aliases, more than 1,000 were decoded, and the share from aliases
    // exceeds 99 % up to 400,000 nodes, falling linearly to 10 % at 4,000,000. The same rule, on the same counts.
    private const long AliasRatioLow = 400_000;
    private const long AliasRatioHigh = 4_000_000;

    /// <summary>Whether a document whose walk decodes <paramref name="decoded"/> nodes, <paramref name="fromAliases"/> of them through aliases, aliases too much (ING0010).</summary>
    internal static bool ExcessiveAliasing(long decoded, long fromAliases)
    {
        if (fromAliases <= 100 || decoded <= 1000)
        {
            return false;
        }

        var allowed = decoded <= AliasRatioLow ? 0.99
            : decoded >= AliasRatioHigh ? 0.10
            : 0.99 - (0.89 * (decoded - AliasRatioLow) / (AliasRatioHigh - AliasRatioLow));
        return (double)fromAliases / decoded > allowed;
    }

    /// <summary>Adds two node counts without overflowing (a count this large is refused anyway).</summary>
    internal static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    internal static string Display(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads at most <see cref="MaxInputSize"/> characters; <paramref name="tooLarge"/> says whether more followed, in
    /// which case the text read is what came before the bound.
    /// </summary>
    internal static string ReadBounded(TextReader reader, out bool tooLarge)
    {
        var text = ReadOnce(reader);
        tooLarge = text.Length > MaxInputSize;
        return tooLarge ? text[..MaxInputSize] : text;
    }

    /// <summary>
    /// Reads at most <see cref="MaxInputSize"/> bytes of a file; <paramref name="tooLarge"/> says whether more followed
    /// (the bytes returned are then those before the bound). A size the file system reports is not trusted: a pipe or a
    /// file still being written has none.
    /// </summary>
    internal static byte[] ReadBounded(string file, out bool tooLarge)
    {
        using var stream = File.OpenRead(file);
        var buffer = new byte[Math.Min(MaxInputSize + 1, 64 * 1024)];
        using var bytes = new MemoryStream();
        int read;
        while (bytes.Length <= MaxInputSize &&
               (read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, MaxInputSize + 1 - bytes.Length))) > 0)
        {
            bytes.Write(buffer, 0, read);
        }

        tooLarge = bytes.Length > MaxInputSize;
        return tooLarge ? bytes.GetBuffer().AsSpan(0, MaxInputSize).ToArray() : bytes.ToArray();
    }

    /// <summary>
    /// Reads standard input for a caller that loads it more than once (a gateway reloading its files): at most one
    /// character past the bound, so that loading the text still finds the bound exceeded.
    /// </summary>
    public static string ReadOnce(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var buffer = new char[64 * 1024];
        var text = new System.Text.StringBuilder();
        int read;
        while (text.Length <= MaxInputSize &&
               (read = reader.Read(buffer, 0, Math.Min(buffer.Length, MaxInputSize + 1 - text.Length))) > 0)
        {
            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }
}
