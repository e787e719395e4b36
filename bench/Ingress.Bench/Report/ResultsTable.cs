using System.Globalization;

namespace Ingress.Bench.Report;

/// <summary>One measured value: which section, which contender, which round, what, and the value as recorded.</summary>
public sealed record Measurement(string Section, string Contender, string Round, string Metric, string Value);

/// <summary>The lines of results.tsv, with medians and sums across rounds.</summary>
public sealed class ResultsTable(IReadOnlyList<Measurement> rows)
{
    /// <summary>Reads the tab-separated file run.sh writes.</summary>
    public static ResultsTable Read(string path) =>
        new(File.ReadAllLines(path)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length >= 5)
            .Select(parts => new Measurement(parts[0], parts[1], parts[2], parts[3], string.Join('\t', parts[4..])))
            .ToList());

    /// <summary>The values of one metric across rounds, as numbers (non-numbers skipped).</summary>
    public IReadOnlyList<double> Numbers(string section, string contender, string metric) =>
        rows.Where(r => r.Section == section && r.Contender == contender && r.Metric == metric)
            .Select(r => double.TryParse(r.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (double?)v : null)
            .Where(v => v.HasValue)
            .Select(v => v!.Value)
            .ToList();

    /// <summary>The raw values of one metric across rounds.</summary>
    public IReadOnlyList<string> Texts(string section, string contender, string metric) =>
        rows.Where(r => r.Section == section && r.Contender == contender && r.Metric == metric).Select(r => r.Value).ToList();

    /// <summary>The round column's distinct values of a section (malformed cases use it for the case name).</summary>
    public IReadOnlyList<string> Rounds(string section) =>
        rows.Where(r => r.Section == section).Select(r => r.Round).Distinct().ToList();

    /// <summary>The value recorded for one section, contender, round and metric, or null.</summary>
    public string? Value(string section, string contender, string round, string metric) =>
        rows.FirstOrDefault(r => r.Section == section && r.Contender == contender && r.Round == round && r.Metric == metric)?.Value;

    /// <summary>Whether the section was run.</summary>
    public bool Has(string section) => rows.Any(r => r.Section == section);

    /// <summary>The contenders of a section, in first-seen order.</summary>
    public IReadOnlyList<string> Contenders(string section) =>
        rows.Where(r => r.Section == section).Select(r => r.Contender).Distinct().ToList();

    /// <summary>Median across rounds, or null.</summary>
    public double? Median(string section, string contender, string metric)
    {
        var values = Numbers(section, contender, metric).Order().ToList();
        if (values.Count == 0)
        {
            return null;
        }

        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>Sum across rounds, or null.</summary>
    public double? Sum(string section, string contender, string metric)
    {
        var values = Numbers(section, contender, metric);
        return values.Count == 0 ? null : values.Sum();
    }
}
