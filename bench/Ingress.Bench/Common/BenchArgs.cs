using System.Globalization;

namespace Ingress.Bench.Common;

/// <summary>A bad command line: the message says which option and what it wants.</summary>
public sealed class BenchArgsException(string message) : Exception(message);

/// <summary><c>--name value</c> pairs, then everything after <c>--</c> as a command line.</summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values;

    private BenchArgs(Dictionary<string, string> values, IReadOnlyList<string> rest)
    {
        _values = values;
        Rest = rest;
    }

    /// <summary>The words after <c>--</c>.</summary>
    public IReadOnlyList<string> Rest { get; }

    /// <summary>Parses <c>--name value</c> pairs up to an optional <c>--</c>.</summary>
    public static BenchArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--")
            {
                return new BenchArgs(values, args[(i + 1)..]);
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new BenchArgsException($"expected '--name value' at '{args[i]}'");
            }

            values[args[i][2..]] = args[++i];
        }

        return new BenchArgs(values, []);
    }

    /// <summary>A required string option.</summary>
    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new BenchArgsException($"--{name} is required");

    /// <summary>An optional string option.</summary>
    public string? Optional(string name) => _values.GetValueOrDefault(name);

    /// <summary>An integer option with a default.</summary>
    public int Int(string name, int fallback) =>
        !_values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new BenchArgsException($"--{name} must be an integer, got '{text}'");
}
