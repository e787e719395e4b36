using System.Text;
using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;

namespace Ingress.Config.Tests.Loading;

/// <summary>
/// The bounds on YAML input (issue 13, "limits on input"): nesting depth, alias expansion and size. Each is refused
/// with its own code at the file:line where it is crossed, and the rest of the input is still read.
/// </summary>
public sealed class InputLimitTests
{
    private static readonly LoadOptions Options = new();

    private static readonly string BillionLaughs = Path.Combine(RepoPaths.Fixtures, "limits", "billion-laughs.yaml");

    private const string Secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: kept}\n";

    /// <summary>A kind this tool does not model: read, then skipped with ING0006 (Info).</summary>
    private const string Widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n";

    [Fact]
    public void A_billion_laughs_file_is_refused_at_once_at_the_alias_that_tips_it()
    {
        var result = ConfigLoader.LoadPaths([BillionLaughs], Options);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(LoaderCodes.ExcessiveAliasing, error.Code);
        // Level l4 is where the share of nodes copied by aliases passes go-yaml's 99 %.
        Assert.Equal(new SourceLocation(BillionLaughs, 11, 12), error.Location);
        Assert.Equal(
            $"{BillionLaughs}:11:12: Error [ING0010] the document's aliases expand it to 2,362 nodes or more, 99 % of " +
            "them copies made by aliases (*l3 here): a \"billion laughs\" file; Kubernetes' YAML decoder refuses such " +
            "excessive aliasing, and so does this tool. Write the repeated values out, or use fewer nested aliases. " +
            "Nothing after this point in the file was read",
            error.ToString());
        Assert.True(result.HasUnreadableInput);
        Assert.Empty(result.Config.Resources);
    }

    [Fact]
    public void Three_levels_of_ten_aliases_are_still_read_as_go_yaml_reads_them()
    {
        var yaml = new StringBuilder(Widget + "spec:\n  l0: &l0 \"lol\"\n");
        for (var level = 1; level <= 3; level++)
        {
            yaml.Append($"  l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
        }

        var result = ConfigLoader.LoadText(yaml.ToString(), "few.yaml", Options);

        Assert.Equal([LoaderCodes.UnknownKind], result.Diagnostics.Select(d => d.Code));
    }

    [Theory]
    [InlineData(15_000)]
    [InlineData(100_000)]
    public void Brackets_nested_thousands_deep_are_refused_where_the_depth_passes_256(int depth)
    {
        var result = ConfigLoader.LoadText(new string('[', depth), "deep.yaml", Options);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(
            "deep.yaml:1:257: Error [ING0009] the YAML is nested more than 256 levels deep (lists and mappings inside " +
            "one another); no Kubernetes object is nested this deep, so the file is refused without reading further. " +
            "Nothing after this point in the file was read",
            error.ToString());
        Assert.True(result.HasUnreadableInput);
    }

    [Fact]
    public void Block_style_nesting_is_bounded_the_same_way_and_256_levels_are_read()
    {
        static string Nested(int levels) =>
            Widget + "spec:\n  x: " + new string('[', levels - 2) + new string(']', levels - 2) + "\n";

        Assert.Equal([LoaderCodes.UnknownKind], ConfigLoader.LoadText(Nested(256), "ok.yaml", Options).Diagnostics.Select(d => d.Code));
        var error = Assert.Single(ConfigLoader.LoadText(Nested(257), "deep.yaml", Options).Diagnostics);
        Assert.Equal(LoaderCodes.TooDeep, error.Code);
        Assert.Equal(new SourceLocation("deep.yaml", 5, 260), error.Location);

        var indented = "a:\n" + string.Concat(Enumerable.Range(1, 300).Select(i => new string(' ', 2 * i) + "- \n"));
        var block = Assert.Single(ConfigLoader.LoadText(indented, "block.yaml", Options).Diagnostics);
        Assert.Equal(new SourceLocation("block.yaml", 257, 513), block.Location);
    }

    [Fact]
    public void A_file_over_16_MiB_is_not_read_and_the_others_are()
    {
        var dir = Directory.CreateTempSubdirectory("loader-limit-");
        try
        {
            var big = Path.Combine(dir.FullName, "a-big.yaml");
            var line = "# " + new string('x', 1021) + "\n";
            File.WriteAllText(big, string.Concat(Enumerable.Repeat(line, 16 * 1024 + 1)));
            File.WriteAllText(Path.Combine(dir.FullName, "b.yaml"), Secret);

            var result = ConfigLoader.LoadPaths([dir.FullName], Options);

            var error = Assert.Single(result.Diagnostics);
            Assert.Equal(
                $"{big}:16385:1: Error [ING0011] the input is larger than 16 MiB, the most this tool reads from one " +
                "file (the Kubernetes API server takes at most 3 MiB per object); nothing in it was read. Split it, or " +
                "check that this is the file you meant",
                error.ToString());
            Assert.True(result.HasUnreadableInput);
            Assert.Equal(["Secret default/kept"], result.Config.Resources.Select(r => r.DisplayName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Standard_input_is_read_only_up_to_the_bound()
    {
        using var endless = new StreamReader(new EndlessStream());

        var result = ConfigLoader.LoadPaths(["-"], Options, endless);

        Assert.Equal(LoaderCodes.TooLarge, Assert.Single(result.Diagnostics).Code);
        Assert.Equal(ConfigLoader.StdinName, result.Diagnostics[0].Location.File);
    }

    [Fact]
    public void Counts_the_documents_read_with_the_items_of_a_list()
    {
        var result = ConfigLoader.LoadText(
            "apiVersion: v1\nkind: List\nitems: []\n---\n# nothing\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
            "list.yaml", Options);

        Assert.Equal(1, result.DocumentCount);
        Assert.Equal(0, ConfigLoader.LoadText("# only a comment\n", "empty.yaml", Options).DocumentCount);
    }

    [Fact]
    public void Each_input_gets_its_own_namespace_as_separate_kubectl_apply_calls_would()
    {
        using var stdin = new StringReader("apiVersion: v1\nkind: Secret\nmetadata: {name: from-stdin}\n");
        var seed = Path.Combine(RepoPaths.Fixtures, "seed");

        var result = ConfigLoader.Load(
            [
                new ConfigInput(Path.Combine(seed, "httpserver-deployment-service.yaml"), "httpserver"),
                new ConfigInput(Path.Combine(seed, "httpserver-virtualservice-gateway.yaml"), "istio-system"),
                new ConfigInput("-", "other"),
            ],
            stdin);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            ["Deployment httpserver/httpserver", "Service httpserver/httpserver", "VirtualService istio-system/httpsserver",
             "Gateway istio-system/httpsserver", "Secret other/from-stdin"],
            result.Config.Resources.Select(r => r.DisplayName));
    }

    /// <summary>A stream that never ends, as a pipe from a command that never stops writing.</summary>
    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'#');
            return count;
        }
    }
}
