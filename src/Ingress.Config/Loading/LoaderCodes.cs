namespace Ingress.Config.Loading;

/// <summary>The stable codes of the loader's findings (documented in docs/analyzers.md).</summary>
public static class LoaderCodes
{
    /// <summary>A path given on the command line does not exist or cannot be read.</summary>
    public const string PathNotReadable = "ING0001";

    /// <summary>The YAML cannot be parsed.</summary>
    public const string SyntaxError = "ING0002";

    /// <summary>A mapping has the same key twice.</summary>
    public const string DuplicateKey = "ING0003";

    /// <summary>A field the model does not know, in a kind whose fields are all known.</summary>
    public const string UnknownField = "ING0004";

    /// <summary>A value of the wrong type (a word where a number is expected, a list where a mapping is).</summary>
    public const string WrongType = "ING0005";

    /// <summary>A kind the project does not model; skipped (informational).</summary>
    public const string UnknownKind = "ING0006";

    /// <summary>A modelled kind written with an apiVersion the API server does not serve.</summary>
    public const string UnservedVersion = "ING0007";

    /// <summary>A document without apiVersion, kind or metadata.name, or that is not a mapping.</summary>
    public const string NotAnObject = "ING0008";

    /// <summary>Lists and mappings nested deeper than <see cref="InputLimits.MaxDepth"/>; the file is not read further.</summary>
    public const string TooDeep = "ING0009";

    /// <summary>A document whose aliases expand excessively (a "billion laughs" file); the file is not read further.</summary>
    public const string ExcessiveAliasing = "ING0010";

    /// <summary>A file or standard input larger than <see cref="InputLimits.MaxInputSize"/>; it is not read.</summary>
    public const string TooLarge = "ING0011";

    /// <summary>Whether a code means the input could not be read at all (the CLI exits 65 for these).</summary>
    public static bool IsUnreadable(string code) =>
        code is PathNotReadable or SyntaxError or TooDeep or ExcessiveAliasing or TooLarge;
}
