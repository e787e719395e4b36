using System.Collections.ObjectModel;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Loading;

/// <summary>
/// Reads Kubernetes YAML (files, folders, standard input; multi-document; <c>kind: List</c>) into a
/// <see cref="ConfigSet"/>, reporting every problem with its file, line and field path instead of stopping at the first.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The file name used for standard input.</summary>
    public const string StdinName = "<stdin>";

    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>
    /// Loads files, folders (recursively: *.yaml, *.yml, *.json, in ordinal path order) and <c>-</c> (standard input),
    /// every one in <see cref="LoadOptions.DefaultNamespace"/>.
    /// </summary>
    public static LoadResult LoadPaths(IEnumerable<string> paths, LoadOptions options, TextReader? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        return Load(paths.Select(p => new ConfigInput(p, options.DefaultNamespace)).ToList(), stdin);
    }

    /// <summary>
    /// Loads each input (a file, a folder read recursively, or <c>-</c> for standard input) with its own namespace for
    /// the documents that name none, as separate <c>kubectl apply -n</c> calls would.
    /// </summary>
    public static LoadResult Load(IReadOnlyList<ConfigInput> inputs, TextReader? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var read = new Reading();
        foreach (var input in inputs)
        {
            var options = new LoadOptions { DefaultNamespace = input.Namespace };
            var path = input.Path;
            if (path == "-")
            {
                var text = InputLimits.ReadBounded(stdin ?? Console.In, out var tooLarge);
                LoadInto(text, tooLarge, StdinName, options, read);
            }
            else if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    LoadFile(file, options, read);
                }
            }
            else if (File.Exists(path))
            {
                LoadFile(path, options, read);
            }
            else
            {
                read.Diagnostics.Add(new Diagnostic
                {
                    Code = LoaderCodes.PathNotReadable,
                    Severity = Severity.Error,
                    Message = "no such file or folder; give YAML files, folders, or - for standard input",
                    Location = new SourceLocation(path, 0, 0),
                });
            }
        }

        return read.Result();
    }

    /// <summary>Loads YAML text as if read from a file of that name.</summary>
    public static LoadResult LoadText(string yaml, string fileName, LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(options);
        var read = new Reading();
        LoadInto(yaml, tooLarge: false, fileName, options, read);
        return read.Result();
    }

    /// <summary>What one load collects.</summary>
    private sealed class Reading
    {
        public List<Resource> Resources { get; } = [];
        public List<Diagnostic> Diagnostics { get; } = [];
        public int Documents { get; set; }

        public LoadResult Result() => new()
        {
            Config = new ConfigSet { Resources = Resources.AsReadOnly() },
            Diagnostics = Diagnostics.AsReadOnly(),
            DocumentCount = Documents,
        };
    }

    private static void LoadFile(string file, LoadOptions options, Reading read)
    {
        byte[] bytes;
        bool tooLarge;
        try
        {
            bytes = InputLimits.ReadBounded(file, out tooLarge);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            read.Diagnostics.Add(new Diagnostic
            {
                Code = LoaderCodes.PathNotReadable,
                Severity = Severity.Error,
                Message = $"cannot be read: {e.Message}",
                Location = new SourceLocation(file, 0, 0),
            });
            return;
        }

        if (tooLarge)
        {
            var line = 1 + bytes.AsSpan().Count((byte)'\n');
            ReportTooLarge(file, line, bytes.Length - bytes.AsSpan().LastIndexOf((byte)'\n'), read);
            return;
        }

        if (DecodeUtf8(bytes, file, read.Diagnostics) is { } text)
        {
            LoadInto(text, tooLarge: false, file, options, read);
        }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The file as UTF-8, as Kubernetes reads YAML: a byte that is not UTF-8 (a file saved as Latin-1, say) is refused
    /// with its line, where a lenient decoder would silently turn it into U+FFFD inside a value.
    /// </summary>
    private static string? DecodeUtf8(byte[] bytes, string file, List<Diagnostic> diagnostics)
    {
        try
        {
            var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            var at = Math.Clamp(e.Index, 0, bytes.Length);
            var before = bytes.AsSpan(0, at);
            var line = 1 + before.Count((byte)'\n');
            var column = at - before.LastIndexOf((byte)'\n');
            var value = at < bytes.Length ? $"0x{bytes[at]:X2}" : "at the end";
            diagnostics.Add(new Diagnostic
            {
                Code = LoaderCodes.SyntaxError,
                Severity = Severity.Error,
                Message = $"the file is not UTF-8: byte {value} on this line is not valid UTF-8, and Kubernetes reads YAML as UTF-8; save the file as UTF-8. Nothing in the file was read",
                Location = new SourceLocation(file, line, column),
            });
            return null;
        }
    }

    /// <summary>ING0011 at the line and column where the input passes the bound.</summary>
    private static void ReportTooLarge(string file, int line, int column, Reading read) =>
        read.Diagnostics.Add(new Diagnostic
        {
            Code = LoaderCodes.TooLarge,
            Severity = Severity.Error,
            Message = $"the input is larger than {InputLimits.MaxInputSize / (1024 * 1024)} MiB, the most this tool " +
                      "reads from one file (the Kubernetes API server takes at most 3 MiB per object); nothing in " +
                      "it was read. Split it, or check that this is the file you meant",
            Location = new SourceLocation(file, line, column),
        });

    private static void LoadInto(string text, bool tooLarge, string file, LoadOptions options, Reading read)
    {
        if (tooLarge)
        {
            ReportTooLarge(file, 1 + text.AsSpan().Count('\n'), text.Length - text.LastIndexOf('\n'), read);
            return;
        }

        using var reader = new StringReader(text);
        var documents = YamlTreeReader.ReadAll(reader, out var error);
        foreach (var document in documents)
        {
            LoadDocument(document, file, options, read);
        }

        if (error is not null)
        {
            read.Diagnostics.Add(new Diagnostic
            {
                Code = error.Code,
                Severity = Severity.Error,
                Message = error.Code == LoaderCodes.SyntaxError
                    ? $"YAML syntax error: {error.Message}; {SyntaxHint(error.Message)}. Nothing after this point in " +
                      "the file was read"
                    : $"{error.Message}. Nothing after this point in the file was read",
                Location = new SourceLocation(file, error.Line, error.Column),
            });
        }
    }

    private static void LoadDocument(Node document, string file, LoadOptions options, Reading read)
    {
        var resources = read.Resources;
        var diagnostics = read.Diagnostics;
        if (document.Kind != NodeKind.Mapping)
        {
            Report(diagnostics, LoaderCodes.NotAnObject, file, document, null,
                $"a document must be a Kubernetes object (apiVersion, kind, metadata), not {ValueBinder.Describe(document)}");
            return;
        }

        var kind = ScalarText(document.Get("kind"));
        var apiVersion = ScalarText(document.Get("apiVersion"));
        var metadata = document.Get("metadata");
        var name = metadata?.Kind == NodeKind.Mapping ? ScalarText(metadata.Get("name")) : null;
        var writtenNamespace = metadata?.Kind == NodeKind.Mapping ? ScalarText(metadata.Get("namespace")) : null;

        if (kind == "List" && document.Get("items") is { Kind: NodeKind.Sequence } items)
        {
            foreach (var item in items.Items!)
            {
                LoadDocument(item, file, options, read);
            }

            return;
        }

        // A kind: List counts by its items: kubectl's output for nothing found is an empty List.
        read.Documents++;

        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion))
        {
            var missing = string.IsNullOrEmpty(kind) ? "kind" : "apiVersion";
            Report(diagnostics, LoaderCodes.NotAnObject, file, document, null,
                $"the document has no {missing}; every Kubernetes object needs apiVersion, kind and metadata.name");
            return;
        }

        var (group, version) = KindRegistry.Split(apiVersion);
        var info = KindRegistry.Find(group, kind);
        var displayNamespace = writtenNamespace ?? (info?.ClusterScoped == true ? "" : options.DefaultNamespace);
        var display = string.IsNullOrEmpty(displayNamespace) ? $"{kind} {name}" : $"{kind} {displayNamespace}/{name}";
        if (info is null)
        {
            Report(diagnostics, LoaderCodes.UnknownKind, file, document, display,
                $"skipped: {kind} ({apiVersion}) is not a kind this tool models, so it is not checked", Severity.Info);
            return;
        }

        if (!info.Versions.Contains(version, StringComparer.Ordinal))
        {
            var served = string.Join(", ", info.Versions.Select(info.ApiVersion));
            Report(diagnostics, LoaderCodes.UnservedVersion, file, document.GetKey("apiVersion") ?? document, display,
                $"apiVersion {apiVersion} is not served for {kind}; use one of: {served}");
            return;
        }

        if (string.IsNullOrEmpty(name))
        {
            Report(diagnostics, LoaderCodes.NotAnObject, file, metadata ?? document, $"{kind} (unnamed)",
                $"the {kind} has no metadata.name; every Kubernetes object needs one");
            return;
        }

        var scope = new BindScope(file, display, diagnostics);
        DuplicateKeys.Report(document, "", scope);
        var resource = (Resource)ValueBinder.For(info.ModelType).Bind(document, "", scope)!;
        var namespaceValue = info.ClusterScoped ? resource.Metadata.Namespace
            : string.IsNullOrEmpty(resource.Metadata.Namespace) ? options.DefaultNamespace
            : resource.Metadata.Namespace;
        resource = resource with
        {
            Metadata = resource.Metadata with { Namespace = namespaceValue },
            Source = new SourceLocation(file, document.Line, document.Column),
            FieldLocations = new ReadOnlyDictionary<string, SourceLocation>(scope.Locations),
        };
        resources.Add(resource);
    }

    /// <summary>YamlDotNet names the parser state; say what the user most likely wrote instead.</summary>
    private static string SyntaxHint(string message) => message switch
    {
        _ when message.Contains("found invalid mapping", StringComparison.Ordinal) ||
               message.Contains("mapping values are not allowed", StringComparison.Ordinal) =>
            "a \"key: value\" appears where none is allowed: this line is probably indented differently from the " +
            "keys beside it, or a value containing \": \" needs quotes",
        _ when message.Contains("did not find expected key", StringComparison.Ordinal) =>
            "a line is indented less or more than the keys of its block, or a list item (-) is mixed with keys",
        _ when message.Contains("alias", StringComparison.Ordinal) =>
            "a value starting with * is read as an alias: quote it (\"*\" or \"*.example.com\")",
        _ when message.Contains("cannot start any token", StringComparison.Ordinal) =>
            "check for a tab (YAML indents with spaces only) or a character such as @ or ` that must be quoted",
        _ => "check the indentation and quoting of this line and the one above",
    };

    private static string? ScalarText(Node? node) =>
        node is { Kind: NodeKind.Scalar } && !node.IsNull ? node.Value : null;

    private static void Report(List<Diagnostic> diagnostics, string code, string file, Node at, string? resource,
        string message, Severity severity = Severity.Error) =>
        diagnostics.Add(new Diagnostic
        {
            Code = code,
            Severity = severity,
            Message = message,
            Resource = resource,
            Location = new SourceLocation(file, at.Line, at.Column),
        });
}
