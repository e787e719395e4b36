using Ingress.Config.Validation;

namespace Ingress.Config.Tests.Validation;

public class Re2SyntaxTests
{
    [Theory]
    [InlineData("/api/v[0-9]+/.*")]
    [InlineData("(?P<version>v[12])/users")]
    [InlineData("(?i)^/Hello$")]
    [InlineData("[\\]a]+")]
    [InlineData("a+?b*?")]
    [InlineData("\\+\\+")]
    public void Accepts_what_re2_accepts(string pattern) => Assert.Null(Re2Syntax.Error(pattern));

    [Theory]
    [InlineData("foo(?!bar)", "look-around assertions ((?=, (?!, (?<=, (?<!) are not supported by RE2")]
    [InlineData("(?<=/)api", "look-around assertions ((?=, (?!, (?<=, (?<!) are not supported by RE2")]
    [InlineData("(a)\\1", "back-references (\\1) are not supported by RE2")]
    [InlineData("(?<n>a)\\k<n>", "back-references (\\k) are not supported by RE2")]
    [InlineData("(?>a+)b", "atomic groups ((?>…)) are not supported by RE2")]
    [InlineData("a*+", "possessive quantifiers (such as *+ or ++) are not supported by RE2")]
    [InlineData("abc\\Z", "\\Z is not supported by RE2 (use \\z or $ for the end of the text)")]
    [InlineData("(?x) a b", "the inline flag 'x' is not supported by RE2 (it knows i, m, s and U)")]
    public void Rejects_what_re2_rejects_even_where_dotnet_accepts(string pattern, string expected) =>
        Assert.Equal(expected, Re2Syntax.Error(pattern));

    [Fact]
    public void Rejects_an_unbalanced_group_with_the_parser_message()
    {
        Assert.StartsWith("error parsing regexp: Invalid pattern '(a' at offset 2.", Re2Syntax.Error("(a"), StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_pattern_longer_than_istio_allows() =>
        Assert.Equal("regex is too large, max length allowed is 1024", Re2Syntax.Error(new string('a', 1025)));
}
