using System.Security.Cryptography;
using System.Text;
using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;
using Ingress.Config.Model;
using Ingress.Config.Validation;

namespace Ingress.LocalGateway.Hosting.Reload;

/// <summary>
/// The configuration in the <c>-f</c> files and folders (or standard input, read once), loaded with the project's
/// YAML loader. The fingerprint is a hash of every file's content, so touching a file without changing it does not
/// reload.
/// </summary>
public sealed class FileConfigSource : IConfigSource
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];
    private readonly IReadOnlyList<ConfigInput> _inputs;
    private readonly IReadOnlyList<string> _paths;
    private readonly string? _stdin;

    public FileConfigSource(IReadOnlyList<string> paths, string defaultNamespace, TextReader? stdin = null)
        : this(paths.Select(p => new ConfigInput(p, defaultNamespace)).ToList(), stdin)
    {
    }

    /// <summary>Each input with the namespace of its documents that name none (<c>-n</c> per file).</summary>
    public FileConfigSource(IReadOnlyList<ConfigInput> inputs, TextReader? stdin = null)
    {
        _inputs = inputs;
        _paths = inputs.Select(i => i.Path).ToList();
        if (_paths.Contains("-"))
        {
            _stdin = InputLimits.ReadOnce(stdin ?? Console.In);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> WatchPaths => _paths.Where(p => p != "-").ToList();

    /// <inheritdoc />
    public ConfigLoadResult Load()
    {
        var fingerprint = Fingerprint();
        var result = ConfigLoader.Load(_inputs, _stdin is null ? null : new StringReader(_stdin));
        // What Istio's webhook would reject refuses the config; the validator runs only on what could be read.
        IReadOnlyList<Diagnostic> findings = result.HasUnreadableInput
            ? result.Diagnostics
            : [.. result.Diagnostics, .. ConfigValidator.Validate(result.Config)];
        if (_stdin is null && Fingerprint() != fingerprint)
        {
            // A writer was still at work (a file rewritten in place is read half-written): what was read is not what
            // the user wrote. Its next write fires the watcher again, and the settled content is loaded then.
            findings =
            [
                .. findings,
                new Diagnostic
                {
                    Code = ReloadCodes.ChangedWhileReading,
                    Severity = Severity.Error,
                    Message = "the config files changed while they were being read; they are read again once the writes are quiet",
                    Location = new SourceLocation(string.Join(", ", _paths), 0, 0),
                },
            ];
        }

        return new ConfigLoadResult { Config = result.Config, Diagnostics = findings, Fingerprint = fingerprint };
    }

    private string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in _paths)
        {
            if (path == "-")
            {
                hash.AppendData(Encoding.UTF8.GetBytes(_stdin ?? ""));
                continue;
            }

            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                : new[] { path };
            foreach (var file in files)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(file));
                try
                {
                    hash.AppendData(File.ReadAllBytes(file));
                }
                catch (IOException)
                {
                    hash.AppendData("<unreadable>"u8);
                }
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
