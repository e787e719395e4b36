using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Support;

/// <summary>One destination a VirtualService sends traffic to, with the field path of its host.</summary>
internal sealed record RouteDestinationRef(Destination Destination, string HostPath, bool IsMirror)
{
    /// <summary>The field path of the destination (its host's parent).</summary>
    public string Path => HostPath[..HostPath.LastIndexOf('.')];

    /// <summary>Every route and mirror destination of a VirtualService, in document order.</summary>
    public static IEnumerable<RouteDestinationRef> Of(VirtualService vs)
    {
        for (var i = 0; i < vs.Spec.Http.Count; i++)
        {
            var rule = vs.Spec.Http[i];
            for (var j = 0; j < rule.Route.Count; j++)
            {
                if (rule.Route[j].Destination is { } destination)
                {
                    yield return new(destination, $"spec.http[{i}].route[{j}].destination.host", false);
                }
            }

            if (rule.Mirror is { } mirror)
            {
                yield return new(mirror, $"spec.http[{i}].mirror.host", true);
            }

            for (var j = 0; j < rule.Mirrors.Count; j++)
            {
                if (rule.Mirrors[j].Destination is { } destination)
                {
                    yield return new(destination, $"spec.http[{i}].mirrors[{j}].destination.host", true);
                }
            }
        }

        for (var i = 0; i < vs.Spec.Tls.Count; i++)
        {
            for (var j = 0; j < vs.Spec.Tls[i].Route.Count; j++)
            {
                if (vs.Spec.Tls[i].Route[j].Destination is { } destination)
                {
                    yield return new(destination, $"spec.tls[{i}].route[{j}].destination.host", false);
                }
            }
        }

        for (var i = 0; i < vs.Spec.Tcp.Count; i++)
        {
            for (var j = 0; j < vs.Spec.Tcp[i].Route.Count; j++)
            {
                if (vs.Spec.Tcp[i].Route[j].Destination is { } destination)
                {
                    yield return new(destination, $"spec.tcp[{i}].route[{j}].destination.host", false);
                }
            }
        }
    }
}
