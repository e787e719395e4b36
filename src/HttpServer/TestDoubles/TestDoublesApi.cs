using System.Text.Json;
using System.Text.Json.Serialization;
using HttpServer.Headers;
using HttpServer.Probes;
using HttpServer.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HttpServer.TestDoubles;

/// <summary>Endpoints that let the mesh's behaviour be shown against this service, in the manner of podinfo.</summary>
public static class TestDoublesApi
{
    /// <summary>Binds <c>TestDoubles</c>.</summary>
    public static WebApplicationBuilder AddTestDoubles(this WebApplicationBuilder builder)
    {
        // The attributes first, then the rules written here (the order ValidateDataAnnotations() had).
        builder.Services.AddSingleton<IValidateOptions<TestDoublesOptions>, AnnotationsValidator<TestDoublesOptions>>();
        builder.Services.AddOptions<TestDoublesOptions>()
            .BindConfiguration(TestDoublesOptions.Section)
            .ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, TestDoublesJson.Default));
        return builder;
    }

    /// <summary>Maps the test-double endpoints unless <c>TestDoubles:Enabled</c> is false.</summary>
    public static IEndpointRouteBuilder MapTestDoublesApi(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<TestDoublesOptions>>().Value;
        if (!options.Enabled)
        {
            return endpoints;
        }

        endpoints.MapGet("/headers", Headers);
        endpoints.MapMethods("/status/{code}", [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Head], Status);
        endpoints.MapGet("/delay/{seconds}", DelayAsync);
        endpoints.MapGet("/version", Version);
        endpoints.MapPost("/readyz/disable", (ReadinessState state) => SwitchReadiness(state, ready: false));
        endpoints.MapPost("/readyz/enable", (ReadinessState state) => SwitchReadiness(state, ready: true));
        return endpoints;
    }

    /// <summary>The request headers as a JSON object of name → values, sorted by name; credentials redacted.</summary>
    private static Ok<SortedDictionary<string, string?[]>> Headers(HttpRequest request)
    {
        var result = new SortedDictionary<string, string?[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            result[name] = HeaderRules.Secret.Contains(name)
                ? values.Select(_ => (string?)HeaderRules.Redacted).ToArray()
                : values.ToArray();
        }

        return TypedResults.Ok(result);
    }

    // 1xx codes are interim responses, not answers: a client sent one would wait for a final status forever.
    private static Results<StatusCodeHttpResult, BadRequest<string>> Status(string code) =>
        int.TryParse(code, out var status) && status is >= 200 and <= 599
            ? TypedResults.StatusCode(status)
            : TypedResults.BadRequest($"status code must be a number from 200 to 599; got '{code}'.");

    private static async Task<Results<Ok<DelayResponse>, BadRequest<string>>> DelayAsync(
        string seconds, IOptions<TestDoublesOptions> options, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxDelaySeconds;
        if (!double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var delay)
            || !double.IsFinite(delay) || delay < 0 || delay > max)
        {
            return TypedResults.BadRequest($"delay must be a number of seconds from 0 to {max}; got '{seconds}'.");
        }

        // Cancelled when the client goes away, not when shutdown begins: in-flight requests are allowed to finish.
        await Task.Delay(TimeSpan.FromSeconds(delay), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new DelayResponse { DelaySeconds = delay });
    }

    private static Ok<VersionResponse> Version(VersionInfo version) =>
        TypedResults.Ok(new VersionResponse { Version = version.Version });

    private static Ok<string> SwitchReadiness(ReadinessState state, bool ready)
    {
        state.Switch(ready);
        return TypedResults.Ok(ready ? "readiness enabled." : "readiness disabled.");
    }
}

/// <summary>Body of <c>/delay/{seconds}</c>.</summary>
public sealed record DelayResponse
{
    /// <summary>The delay that was served, in seconds.</summary>
    public required double DelaySeconds { get; init; }
}

/// <summary>Body of <c>/version</c>.</summary>
public sealed record VersionResponse
{
    /// <summary>The value of <c>VERSION</c>.</summary>
    public required string Version { get; init; }
}

/// <summary>The bodies the test-double endpoints write, serialized by generated code (the native build has no reflection-based JSON).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DelayResponse))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(SortedDictionary<string, string?[]>))]
[JsonSerializable(typeof(string))]
internal sealed partial class TestDoublesJson : JsonSerializerContext;
