using Ingress.LocalGateway.Runtime.Edge;
using Ingress.LocalGateway.Snapshot;

namespace Ingress.LocalGateway.Tests.Runtime.Edge;

/// <summary>
/// The path normalization of each mesh mode, case by case as Envoy's connection manager produces it under Istio
/// (<c>ConnectionManagerUtility::maybeNormalizePath</c>, <c>PathUtil::canonicalPath</c> with googleurl, and
/// <c>PathUtil::mergeSlashes</c>; the expectations are Envoy's path_utility tests and Istio's "Authorization Policy
/// Normalization" table).
/// </summary>
public sealed class PathCanonicalizerTests
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        // target, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES
        { "/a/b/../c", "/a/c", "/a/c", "/a/c" },
        { "/a/./b/", "/a/b/", "/a/b/", "/a/b/" },
        { "/../../x", "/x", "/x", "/x" },
        { "/a/%2e%2E/b", "/b", "/b", "/b" },
        { "/a/%2E%2E%2Fb", "/a/..%2Fb", "/a/..%2Fb", "/b" },
        { "/a%2Fb", "/a%2Fb", "/a%2Fb", "/a/b" },
        { "/a%2f%2fb", "/a%2f%2fb", "/a%2f%2fb", "/a/b" },
        { "/a%5Cb", "/a%5Cb", "/a%5Cb", "/a/b" },
        { "/a\\b", "/a/b", "/a/b", "/a/b" },
        { "/a//b", "/a//b", "/a/b", "/a/b" },
        { "/a/.//b", "/a//b", "/a/b", "/a/b" },
        { "//", "//", "//", "//" },
        { "/%7Euser", "/~user", "/~user", "/~user" },
        { "/%7euser", "/~user", "/~user", "/~user" },
        { "/%41%62%2D%5F", "/Ab-_", "/Ab-_", "/Ab-_" },
        { "/%20", "/%20", "/%20", "/%20" },
        { "/%3f", "/%3f", "/%3f", "/%3f" },
        { "/%c3%a9", "/%c3%a9", "/%c3%a9", "/%c3%a9" },
        { "/x\"y", "/x%22y", "/x%22y", "/x%22y" },
        { "/a<b>c^d`e{f|g}h", "/a%3Cb%3Ec%5Ed%60e%7Bf%7Cg%7Dh", "/a%3Cb%3Ec%5Ed%60e%7Bf%7Cg%7Dh", "/a%3Cb%3Ec%5Ed%60e%7Bf%7Cg%7Dh" },
        { "/caf\u00e9", "/caf%C3%A9", "/caf%C3%A9", "/caf%C3%A9" },
        { "/a;p=1/b", "/a;p=1/b", "/a;p=1/b", "/a;p=1/b" },
        { "/x/..;p/y", "/y", "/y", "/y" },
        { "/xyz/.;foo=bar", "/xyz/", "/xyz/", "/xyz/" },
        { "/xyz/...;foo", "/xyz/...;foo", "/xyz/...;foo", "/xyz/...;foo" },
        { "/a/b?q=/../%2F#frag", "/a/b?q=/../%2F", "/a/b?q=/../%2F", "/a/b?q=/../%2F" },
        { "/A/B", "/A/B", "/A/B", "/A/B" },
        { "/test/hello#frag", "/test/hello", "/test/hello", "/test/hello" },
        { "/test/./hello", "/test/hello", "/test/hello", "/test/hello" },
        { "/%74est/hello", "/test/hello", "/test/hello", "/test/hello" },
        { "/admin/../anything", "/anything", "/anything", "/anything" },
        { "/admin\\..\\anything", "/anything", "/anything", "/anything" },
        { "/a/..", "/", "/", "/" },
        { "/..", "/", "/", "/" },
        { "/a./b", "/a./b", "/a./b", "/a./b" },
        { "/a/..a/b", "/a/..a/b", "/a/..a/b", "/a/..a/b" },
        { "/%%30%30", "/%2500", "/%2500", "/%2500" },
        { "/%zz/%", "/%zz/%", "/%zz/%", "/%zz/%" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Normalizes_as_envoy_does_in_each_mode(string target, string @base, string merge, string decode)
    {
        Assert.Equal(@base, Normalize(target, PathNormalization.Base));
        Assert.Equal(merge, Normalize(target, PathNormalization.MergeSlashes));
        Assert.Equal(decode, Normalize(target, PathNormalization.DecodeAndMergeSlashes));
    }

    [Theory]
    [InlineData("/a/../b#frag", "/a/../b")]
    [InlineData("/a//b?x=1#f", "/a//b?x=1")]
    [InlineData("/%2e%2e/x", "/%2e%2e/x")]
    public void None_only_cuts_the_fragment(string target, string expected) =>
        Assert.Equal(expected, Normalize(target, PathNormalization.None));

    [Theory]
    [InlineData("/a/%00b")]
    [InlineData("/xyz/.%00../abc")]
    [InlineData("/xyz/AAAAA%%0000/abc")]
    [InlineData("/a\0b")]
    public void Refuses_a_nul_byte_in_every_mode_that_normalizes(string target)
    {
        foreach (var mode in new[] { PathNormalization.Base, PathNormalization.MergeSlashes, PathNormalization.DecodeAndMergeSlashes })
        {
            Assert.False(PathCanonicalizer.TryNormalize(target, mode, out _, out _), $"{mode}: {target}");
        }

        Assert.True(PathCanonicalizer.TryNormalize(target, PathNormalization.None, out _, out _));
    }

    [Theory]
    [InlineData("/a/./b?q=1", "/a/b", "/a/b?q=1")]
    [InlineData("/a?", "/a", "/a?")]
    [InlineData("/x", "/x", "/x")]
    public void Keeps_the_query_and_says_where_the_path_ends(string target, string path, string pathAndQuery)
    {
        Assert.True(PathCanonicalizer.TryNormalize(target, PathNormalization.Base, out var result, out var length));
        Assert.Equal(pathAndQuery, result);
        Assert.Equal(path, result[..length]);
    }

    private static string Normalize(string target, PathNormalization mode)
    {
        Assert.True(PathCanonicalizer.TryNormalize(target, mode, out var result, out _), $"{mode} refused {target}");
        return result;
    }
}
