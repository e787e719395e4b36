using System.IO.Pipelines;
using System.Text;
using Ingress.LocalGateway.Runtime.Upstreams.Http1;

namespace Ingress.LocalGateway.Tests.Runtime.Upstreams.Http1;

/// <summary>A request for the HTTP/1.1 pool with fixed parts, and a handler that keeps what the parser passed on.</summary>
internal sealed class TestRequest : IHttp1Request
{
    public string Method { get; init; } = "GET";
    public string Target { get; init; } = "/hello";
    public string Authority { get; init; } = "backend.test";
    public PipeReader? Body { get; init; }
    public long? BodyLength { get; init; }
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];
    public IReadOnlyList<(string Name, Microsoft.Extensions.Primitives.StringValues Values)> Values { get; init; } = [];

    public void WriteHeaders(Http1RequestWriter writer)
    {
        foreach (var (name, value) in Headers)
        {
            writer.Add(name, value);
        }

        foreach (var (name, values) in Values)
        {
            writer.Add(name, values);
        }
    }

    /// <summary>A body from text.</summary>
    public static PipeReader BodyOf(string text) => PipeReader.Create(new MemoryStream(Encoding.ASCII.GetBytes(text)));
}

internal sealed class TestHandler : IHttp1ResponseHandler
{
    public int Status { get; private set; }
    public string Reason { get; private set; } = "";
    public List<(string Name, string Value)> Headers { get; } = [];
    public List<(string Name, string Value)> Trailers { get; } = [];

    public void OnStatus(int status, ReadOnlySpan<byte> reason)
    {
        Status = status;
        Reason = Encoding.Latin1.GetString(reason);
    }

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        Headers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));

    public void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        Trailers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
}

internal static class Http1Exchange
{
    /// <summary>One whole exchange: the handler, the body as text, and the connection released.</summary>
    public static async Task<(TestHandler Handler, string Body, Http1ResponseHead Head)> RunAsync(Http1ConnectionPool pool, TestRequest? request = null,
        CancellationToken cancellationToken = default)
    {
        var handler = new TestHandler();
        var connection = await pool.SendAsync(request ?? new TestRequest(), handler, cancellationToken);
        var body = new MemoryStream();
        try
        {
            var writer = PipeWriter.Create(body);
            await connection.CopyResponseBodyAsync(writer, handler);
            await writer.FlushAsync(cancellationToken);
            return (handler, Encoding.Latin1.GetString(body.ToArray()), connection.Head);
        }
        finally
        {
            connection.Release();
        }
    }
}
