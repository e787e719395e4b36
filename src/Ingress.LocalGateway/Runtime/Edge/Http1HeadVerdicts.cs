using System.Numerics;
using System.Text;

namespace Ingress.LocalGateway.Runtime.Edge;

/// <summary>What was found on the wire about one HTTP/1 request head, before Kestrel parsed and rewrote it.</summary>
public enum Http1HeadVerdict : byte
{
    /// <summary>Not known (the connection is not watched, or its framing could not be followed): no finding.</summary>
    Unknown,

    /// <summary>The head was seen and nothing in it is refused.</summary>
    Clean,

    /// <summary>A Content-Length Envoy's codec refuses (not 1+ digits within 64 bits, or more than one header).</summary>
    ContentLengthRefused,
}

/// <summary>
/// Connection feature of an HTTP/1.x connection: the verdict on each request head, in the order the heads arrived.
/// The listener's framing inspector records them as Kestrel consumes the bytes; <see cref="RequestCanonicalizer"/>
/// takes the next one for each request it handles. Once the inspector cannot follow the connection, every later
/// request gets <see cref="Http1HeadVerdict.Unknown"/>.
/// </summary>
public sealed class Http1HeadVerdicts
{
    // Kestrel consumes a head only after the previous request finished, so one verdict is normally waiting; more
    // means that requests are handled without taking theirs, and the watch is given up rather than grow.
    private const int MaxWaiting = 8;

    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    private readonly Lock _gate = new();
    private readonly (Http1HeadVerdict Verdict, ulong Identity)[] _waiting = new (Http1HeadVerdict, ulong)[MaxWaiting];
    private int _first;
    private int _count;
    private bool _abandoned;

    /// <summary>Whether the connection is no longer followed (every later request is <see cref="Http1HeadVerdict.Unknown"/>).</summary>
    public bool Abandoned
    {
        get
        {
            lock (_gate)
            {
                return _abandoned;
            }
        }
    }

    /// <summary>Verdicts recorded and not yet taken.</summary>
    internal int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Records the verdict on the next head; <paramref name="identity"/> is <see cref="Identity(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> of its request line.</summary>
    public void Record(Http1HeadVerdict verdict, ulong identity)
    {
        lock (_gate)
        {
            if (_abandoned)
            {
                return;
            }

            if (_count == MaxWaiting)
            {
                AbandonLocked();
                return;
            }

            _waiting[(_first + _count) % MaxWaiting] = (verdict, identity);
            _count++;
        }
    }

    /// <summary>Gives up on the connection: the verdicts waiting and every later one are <see cref="Http1HeadVerdict.Unknown"/>.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            AbandonLocked();
        }
    }

    /// <summary>
    /// The verdict on the head of the request Kestrel parsed as <paramref name="method"/> <paramref name="rawTarget"/>
    /// (taken in order). A head that does not match the request line is proof that the two parsers disagree about
    /// where requests start: the connection is abandoned and the answer is <see cref="Http1HeadVerdict.Unknown"/>.
    /// </summary>
    public Http1HeadVerdict Take(string method, string rawTarget)
    {
        lock (_gate)
        {
            if (_abandoned || _count == 0)
            {
                // None waiting: Kestrel handled a head the inspector has not seen complete, which cannot happen while
                // both follow the same bytes.
                AbandonLocked();
                return Http1HeadVerdict.Unknown;
            }

            var (verdict, identity) = _waiting[_first];
            _first = (_first + 1) % MaxWaiting;
            _count--;
            if (identity != Identity(method, rawTarget))
            {
                AbandonLocked();
                return Http1HeadVerdict.Unknown;
            }

            return verdict;
        }
    }

    /// <summary>A hash of a request line's method and target as they are on the wire.</summary>
    public static ulong Identity(ReadOnlySpan<byte> method, ReadOnlySpan<byte> target) =>
        Hash(method, target, Ascii.IsValid(target));

    /// <summary>The same hash of the method and target Kestrel parsed (both ASCII for every head it accepts as such).</summary>
    public static ulong Identity(string method, string target) =>
        Hash(method.AsSpan(), target.AsSpan(), Ascii.IsValid(target));

    // FNV-1a over the method, a space and the target. Kestrel decodes a target with bytes above 0x7F into characters
    // that no longer map to bytes one to one: only the method identifies such a head.
    private static ulong Hash<T>(ReadOnlySpan<T> method, ReadOnlySpan<T> target, bool asciiTarget)
        where T : unmanaged, IBinaryInteger<T>
    {
        var hash = FnvOffset;
        foreach (var unit in method)
        {
            hash = (hash ^ ulong.CreateTruncating(unit)) * FnvPrime;
        }

        hash = (hash ^ ' ') * FnvPrime;
        if (!asciiTarget)
        {
            return (hash ^ 0x80) * FnvPrime;
        }

        foreach (var unit in target)
        {
            hash = (hash ^ ulong.CreateTruncating(unit)) * FnvPrime;
        }

        return hash;
    }

    private void AbandonLocked()
    {
        _abandoned = true;
        _count = 0;
    }
}
