using Ingress.Config.Loading;
using Ingress.Config.Schema;
using Ingress.Config.Validation;

namespace Ingress.Config.Tests.Schema;

public sealed class ConfigValidatorSchemaTests
{
    [Fact]
    public void Config_validator_reports_the_schema_findings_with_the_other_checks()
    {
        var loaded = ConfigLoader.LoadText("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata:
              name: tel
            spec:
              metrics:
                - providers: [{name: prometheus}]
                  overrides:
                    - match:
                        metric: REQUEST_COUNTS
                      disabled: true
            """.ReplaceLineEndings("\n"), "test.yaml", new LoadOptions());

        var findings = ConfigValidator.Validate(loaded.Config);

        var finding = Assert.Single(findings, d => d.Code == SchemaCodes.Structural);
        Assert.Equal("spec.metrics[0].overrides[0].match.metric", finding.FieldPath);
        Assert.Equal("test.yaml:10", finding.Location.ToString());
        Assert.Equal("spec.metrics[0].overrides[0].match.metric: Unsupported value: \"REQUEST_COUNTS\": supported values: \"ALL_METRICS\", \"REQUEST_COUNT\", \"REQUEST_DURATION\", \"REQUEST_SIZE\", \"RESPONSE_SIZE\", \"TCP_OPENED_CONNECTIONS\", \"TCP_CLOSED_CONNECTIONS\", \"TCP_SENT_BYTES\", \"TCP_RECEIVED_BYTES\", \"GRPC_REQUEST_MESSAGES\", \"GRPC_RESPONSE_MESSAGES\"", finding.Message);
    }

    [Fact]
    public void Config_validator_does_not_repeat_a_schema_finding_where_istio_names_the_same_field()
    {
        var loaded = ConfigLoader.LoadText("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: gw
            spec:
              selector: {istio: ingressgateway}
              servers:
                - port: {number: 80, protocol: HTTP}
                  hosts: ["*"]
            """.ReplaceLineEndings("\n"), "test.yaml", new LoadOptions());

        var findings = ConfigValidator.Validate(loaded.Config);

        Assert.DoesNotContain(findings, d => d.Code == SchemaCodes.Structural);
        Assert.Contains(findings, d => d.FieldPath == "spec.servers[0].port.name");
    }
}
