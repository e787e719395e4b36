using System.Security.Cryptography.X509Certificates;
using Ingress.Cli.LocalSystem;

namespace Ingress.Cli.Tests.LocalSystem;

/// <summary>The local CA and the gateway certificate that replace `curl -k` with `curl --cacert`.</summary>
public sealed class LocalCertificateAuthorityTests
{
    [Fact]
    public void Creates_a_ca_and_a_gateway_certificate_for_the_users_host_that_chain_together()
    {
        using var state = new TempDirectory();

        var files = LocalCertificateAuthority.Ensure(state.Path, TimeProvider.System);

        Assert.True(files.CaCreated);
        Assert.True(files.GatewayCertificateIssued);
        Assert.Equal(Path.Combine(state.Path, "ca.crt"), files.CaCertificatePath);
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(files.CaCertificatePath));
        using var leaf = X509Certificate2.CreateFromPemFile(files.GatewayCertificatePath, files.GatewayKeyPath);
        Assert.True(leaf.HasPrivateKey);
        Assert.True(leaf.MatchesHostname("httpsserver.kuopenx.io"));
        Assert.False(leaf.MatchesHostname("other.kuopenx.io"));
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal("1.3.6.1.5.5.7.3.1", leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages[0].Value);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Private_keys_are_readable_by_the_owner_only()
    {
        using var state = new TempDirectory();

        var files = LocalCertificateAuthority.Ensure(state.Path, TimeProvider.System);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.GatewayKeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(state.Path, "ca.key")));
    }

    [Fact]
    public void A_second_run_keeps_the_ca_and_the_certificate_the_user_already_trusts()
    {
        using var state = new TempDirectory();
        var first = LocalCertificateAuthority.Ensure(state.Path, TimeProvider.System);
        var caBefore = File.ReadAllText(first.CaCertificatePath);
        var leafBefore = File.ReadAllText(first.GatewayCertificatePath);

        var second = LocalCertificateAuthority.Ensure(state.Path, TimeProvider.System);

        Assert.False(second.CaCreated);
        Assert.False(second.GatewayCertificateIssued);
        Assert.Equal(caBefore, File.ReadAllText(second.CaCertificatePath));
        Assert.Equal(leafBefore, File.ReadAllText(second.GatewayCertificatePath));
    }

    [Fact]
    public void A_gateway_certificate_close_to_expiry_is_reissued_from_the_same_ca()
    {
        using var state = new TempDirectory();
        var first = LocalCertificateAuthority.Ensure(state.Path, TimeProvider.System);
        var caBefore = File.ReadAllText(first.CaCertificatePath);
        var leafBefore = File.ReadAllText(first.GatewayCertificatePath);

        var later = new FixedTime(DateTimeOffset.UtcNow.AddDays(360));
        var second = LocalCertificateAuthority.Ensure(state.Path, later);

        Assert.False(second.CaCreated);
        Assert.True(second.GatewayCertificateIssued);
        Assert.Equal(caBefore, File.ReadAllText(second.CaCertificatePath));
        Assert.NotEqual(leafBefore, File.ReadAllText(second.GatewayCertificatePath));
    }

    [Fact]
    public void A_gateway_certificate_not_issued_by_the_ca_is_replaced()
    {
        using var state = new TempDirectory();
        using var other = new TempDirectory();
        LocalCertificateAuthority.Ensure(state.Path, TimeProvider.System);
        var foreign = LocalCertificateAuthority.Ensure(other.Path, TimeProvider.System);
        File.Copy(foreign.GatewayCertificatePath, Path.Combine(state.Path, "httpsserver.kuopenx.io.crt"), overwrite: true);
        File.Copy(foreign.GatewayKeyPath, Path.Combine(state.Path, "httpsserver.kuopenx.io.key"), overwrite: true);

        var again = LocalCertificateAuthority.Ensure(state.Path, TimeProvider.System);

        Assert.False(again.CaCreated);
        Assert.True(again.GatewayCertificateIssued);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
