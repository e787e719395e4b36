namespace Ingress.LocalGateway.Runtime;

/// <summary>Told about every finished request (access log, metrics). Must not block: it runs on the request path.</summary>
public interface IRequestObserver
{
    /// <summary>Records a finished request.</summary>
    void OnCompleted(RequestRecord record);
}
