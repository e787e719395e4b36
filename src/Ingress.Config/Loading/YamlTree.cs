using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Ingress.Config.Loading;

/// <summary>The shape of a node in a parsed YAML document.</summary>
internal enum NodeKind
{
    Scalar,
    Mapping,
    Sequence,
}

/// <summary>
/// A parsed YAML node that remembers where it starts and, unlike YamlDotNet's own representation model, keeps every
/// key of a mapping (duplicates included) so the loader can report them.
/// </summary>
internal sealed class Node
{
    public required NodeKind Kind { get; init; }
    public required int Line { get; init; }
    public required int Column { get; init; }

    /// <summary>The text of a scalar (null for collections).</summary>
    public string? Value { get; init; }

    /// <summary>True for an unquoted scalar without an explicit tag, whose type YAML infers (80, true, null).</summary>
    public bool Plain { get; init; }

    public List<KeyValuePair<Node, Node>>? Entries { get; init; }
    public List<Node>? Items { get; init; }

    /// <summary>
    /// How many nodes this one stands for once every alias under it is expanded (itself included): what a walk over
    /// it costs, since an alias shares its anchor's node instead of copying it.
    /// </summary>
    public long Expanded { get; set; } = 1;

    /// <summary>True for a plain scalar YAML reads as null: empty, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => Kind == NodeKind.Scalar && Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The value of the last entry with that key (as YAML parsers keep), or null.</summary>
    public Node? Get(string key)
    {
        if (Entries is null)
        {
            return null;
        }

        for (var i = Entries.Count - 1; i >= 0; i--)
        {
            if (Entries[i].Key.Value == key)
            {
                return Entries[i].Value;
            }
        }

        return null;
    }

    /// <summary>The last entry with that key, or null.</summary>
    public Node? GetKey(string key)
    {
        if (Entries is null)
        {
            return null;
        }

        for (var i = Entries.Count - 1; i >= 0; i--)
        {
            if (Entries[i].Key.Value == key)
            {
                return Entries[i].Key;
            }
        }

        return null;
    }
}

/// <summary>
/// Why a YAML stream could not be read, with its 1-based position: a syntax error (ING0002) or a bound of
/// <see cref="InputLimits"/> exceeded.
/// </summary>
internal sealed class YamlSyntaxError(string message, int line, int column, string code = LoaderCodes.SyntaxError)
    : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Code { get; } = code;
}

/// <summary>Reads a YAML stream into <see cref="Node"/> trees, one per document.</summary>
internal static class YamlTreeReader
{
    /// <summary>
    /// Reads every document; documents before a syntax error are returned, the error in <paramref name="error"/>.
    /// A document nested deeper than <see cref="InputLimits.MaxDepth"/> or whose aliases expand too much
    /// (<see cref="InputLimits.ExcessiveAliasing"/>) ends the reading the same way, at the node where the bound is crossed.
    /// </summary>
    public static List<Node> ReadAll(TextReader reader, out YamlSyntaxError? error)
    {
        var documents = new List<Node>();
        error = null;
        var parser = new Parser(new Scanner(reader, skipComments: true));
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.Accept<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                if (!parser.Accept<DocumentEnd>(out _))
                {
                    var root = ReadNode(parser, new DocumentReading(), 0);
                    if (!root.IsNull)
                    {
                        documents.Add(root);
                    }
                }

                parser.Consume<DocumentEnd>();
            }
        }
        catch (YamlSyntaxError e)
        {
            error = e;
        }
        catch (YamlException e)
        {
            error = new YamlSyntaxError(Describe(e), (int)e.Start.Line, (int)e.Start.Column);
        }
        catch (InvalidOperationException)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            // YamlDotNet's scanner throws this instead of a YamlException on some malformed flow collections (a flow
            // mapping left open across lines): still the input's fault, so it is reported where the parser stood.
            error = new YamlSyntaxError("the YAML is malformed after this point (an unclosed '{' or '['?)", (int)at.Line, (int)at.Column);
        }

        return documents;
    }

    /// <summary>
    /// Recursive, so the depth bound is checked before each collection is entered: every later walk over the tree
    /// (duplicate keys, binding, validation) recurses as deep, and a stack overflow cannot be caught.
    /// </summary>
    private static Node ReadNode(IParser parser, DocumentReading document, int depth)
    {
        var current = parser.Current ?? throw new YamlSyntaxError("unexpected end of the YAML stream", 0, 0);
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!document.Anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlSyntaxError(
                        $"alias *{alias.Value.Value} refers to no anchor &{alias.Value.Value} defined before it",
                        (int)alias.Start.Line, (int)alias.Start.Column);
                }

                document.Expand(target, alias);
                return target;

            case Scalar scalar:
            {
                parser.MoveNext();
                document.Literal();
                var node = new Node
                {
                    Kind = NodeKind.Scalar,
                    Line = (int)scalar.Start.Line,
                    Column = (int)scalar.Start.Column,
                    Value = scalar.Value,
                    Plain = scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty,
                };
                document.Remember(scalar.Anchor, node);
                return node;
            }

            case SequenceStart start:
            {
                Enter(start, depth);
                parser.MoveNext();
                document.Literal();
                var node = new Node
                {
                    Kind = NodeKind.Sequence,
                    Line = (int)start.Start.Line,
                    Column = (int)start.Start.Column,
                    Items = [],
                };
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    var item = ReadNode(parser, document, depth + 1);
                    node.Items.Add(item);
                    node.Expanded = InputLimits.Add(node.Expanded, item.Expanded);
                }

                // Registered once complete, so an alias can never point into its own anchor (no cycles).
                document.Remember(start.Anchor, node);
                return node;
            }

            case MappingStart start:
            {
                Enter(start, depth);
                parser.MoveNext();
                document.Literal();
                var node = new Node
                {
                    Kind = NodeKind.Mapping,
                    Line = (int)start.Start.Line,
                    Column = (int)start.Start.Column,
                    Entries = [],
                };
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, document, depth + 1);
                    if (key.Kind != NodeKind.Scalar)
                    {
                        throw new YamlSyntaxError(
                            "a mapping key must be a plain value, not a list or a mapping", key.Line, key.Column);
                    }

                    var value = ReadNode(parser, document, depth + 1);
                    node.Entries.Add(new(key, value));
                    node.Expanded = InputLimits.Add(node.Expanded, InputLimits.Add(key.Expanded, value.Expanded));
                }

                document.Remember(start.Anchor, node);
                return node;
            }

            default:
                throw new YamlSyntaxError($"unexpected {current.GetType().Name}", (int)current.Start.Line,
                    (int)current.Start.Column);
        }
    }

    private static void Enter(ParsingEvent collection, int depth)
    {
        if (depth >= InputLimits.MaxDepth)
        {
            throw new YamlSyntaxError(
                $"the YAML is nested more than {InputLimits.MaxDepth} levels deep (lists and mappings inside one " +
                "another); no Kubernetes object is nested this deep, so the file is refused without reading further",
                (int)collection.Start.Line, (int)collection.Start.Column, LoaderCodes.TooDeep);
        }
    }

    /// <summary>
    /// One document being read: its anchors (YAML scopes them to the document) and the counts that bound how much its
    /// aliases expand.
    /// </summary>
    private sealed class DocumentReading
    {
        private long _decoded;
        private long _fromAliases;

        public Dictionary<string, Node> Anchors { get; } = new(StringComparer.Ordinal);

        public void Literal() => _decoded++;

        /// <summary>Counts what an alias adds to a walk over the document, and refuses it once that is excessive.</summary>
        public void Expand(Node target, AnchorAlias alias)
        {
            _decoded = InputLimits.Add(_decoded, target.Expanded);
            _fromAliases = InputLimits.Add(_fromAliases, target.Expanded);
            if (InputLimits.ExcessiveAliasing(_decoded, _fromAliases))
            {
                throw new YamlSyntaxError(
                    $"the document's aliases expand it to {InputLimits.Display(_decoded)} nodes or more, " +
                    $"{100 * _fromAliases / _decoded} % of them copies made by aliases (*{alias.Value.Value} here): a \"billion " +
                    "laughs\" file; Kubernetes' YAML decoder refuses such excessive aliasing, and so does this tool. " +
                    "Write the repeated values out, or use fewer nested aliases",
                    (int)alias.Start.Line, (int)alias.Start.Column, LoaderCodes.ExcessiveAliasing);
            }
        }

        public void Remember(AnchorName anchor, Node node)
        {
            if (!anchor.IsEmpty)
            {
                Anchors[anchor.Value] = node;
            }
        }
    }

    /// <summary>YamlDotNet prefixes its messages with both marks; the loader prints its own position.</summary>
    private static string Describe(YamlException e)
    {
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0)
        {
            message = message[(cut + 3)..];
        }

        message = message.Trim();
        if (message.Length > 0)
        {
            message = char.ToLowerInvariant(message[0]) + message[1..];
        }

        return message.TrimEnd('.');
    }
}
