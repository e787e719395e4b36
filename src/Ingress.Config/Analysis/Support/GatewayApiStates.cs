using System.Runtime.CompilerServices;
using Ingress.Config.GatewayApi;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Support;

/// <summary>The Gateway API state of a configuration, resolved once for every analyzer that reads it.</summary>
internal static class GatewayApiStates
{
    private static readonly ConditionalWeakTable<ConfigSet, GatewayApiState> Cache = new();

    public static GatewayApiState For(AnalysisContext context) =>
        Cache.GetValue(context.Config, config => GatewayApiResolver.Resolve(config, new GatewayApiOptions { Now = context.Now }));
}
