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

/// <summary>A YAML syntax error with its 1-based position.</summary>
internal sealed class YamlSyntaxError(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}

/// <summary>Reads a YAML stream into <see cref="Node"/> trees, one per document.</summary>
internal static class YamlTreeReader
{
    /// <summary>
    /// Reads every document; documents before a syntax error are returned, the error in <paramref name="error"/>.
    /// </summary>
    public static List<Node> ReadAll(TextReader reader, out YamlSyntaxError? error)
    {
        var documents = new List<Node>();
        error = null;
        var parser = new Parser(new Scanner(reader, skipComments: true));
        var anchors = new Dictionary<string, Node>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.Accept<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                anchors.Clear();
                if (!parser.Accept<DocumentEnd>(out _))
                {
                    var root = ReadNode(parser, anchors);
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

    private static Node ReadNode(IParser parser, Dictionary<string, Node> anchors)
    {
        var current = parser.Current ?? throw new YamlSyntaxError("unexpected end of the YAML stream", 0, 0);
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlSyntaxError(
                        $"alias *{alias.Value.Value} refers to no anchor &{alias.Value.Value} defined before it",
                        (int)alias.Start.Line, (int)alias.Start.Column);
                }

                return target;

            case Scalar scalar:
            {
                parser.MoveNext();
                var node = new Node
                {
                    Kind = NodeKind.Scalar,
                    Line = (int)scalar.Start.Line,
                    Column = (int)scalar.Start.Column,
                    Value = scalar.Value,
                    Plain = scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty,
                };
                Remember(scalar.Anchor, node, anchors);
                return node;
            }

            case SequenceStart start:
            {
                parser.MoveNext();
                var node = new Node
                {
                    Kind = NodeKind.Sequence,
                    Line = (int)start.Start.Line,
                    Column = (int)start.Start.Column,
                    Items = [],
                };
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    node.Items.Add(ReadNode(parser, anchors));
                }

                // Registered once complete, so an alias can never point into its own anchor (no cycles).
                Remember(start.Anchor, node, anchors);
                return node;
            }

            case MappingStart start:
            {
                parser.MoveNext();
                var node = new Node
                {
                    Kind = NodeKind.Mapping,
                    Line = (int)start.Start.Line,
                    Column = (int)start.Start.Column,
                    Entries = [],
                };
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, anchors);
                    if (key.Kind != NodeKind.Scalar)
                    {
                        throw new YamlSyntaxError(
                            "a mapping key must be a plain value, not a list or a mapping", key.Line, key.Column);
                    }

                    var value = ReadNode(parser, anchors);
                    node.Entries.Add(new(key, value));
                }

                Remember(start.Anchor, node, anchors);
                return node;
            }

            default:
                throw new YamlSyntaxError($"unexpected {current.GetType().Name}", (int)current.Start.Line,
                    (int)current.Start.Column);
        }
    }

    private static void Remember(AnchorName anchor, Node node, Dictionary<string, Node> anchors)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
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
