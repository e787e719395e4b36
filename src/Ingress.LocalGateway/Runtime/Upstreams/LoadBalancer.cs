using Ingress.LocalGateway.Snapshot.Upstreams;
namespace Ingress.LocalGateway.Runtime.Upstreams;

/// <summary>Picks one endpoint out of the candidates (the healthy endpoints not tried yet), as Envoy's load balancers do.</summary>
public abstract class LoadBalancer
{
    /// <summary>The balancer for a policy; <paramref name="random"/> returns a number in [0, max) (Random.Shared unless a test scripts it).</summary>
    public static LoadBalancer Create(LoadBalancerKind kind, Func<int, int>? random = null)
    {
        var next = random ?? Random.Shared.Next;
        return kind switch
        {
            LoadBalancerKind.RoundRobin => new RoundRobinBalancer(),
            LoadBalancerKind.Random => new RandomBalancer(next),
            _ => new LeastRequestBalancer(next),
        };
    }

    /// <summary>The index into <paramref name="candidates"/> to use; <paramref name="active"/> holds each endpoint's requests in flight.</summary>
    public abstract int Pick(ReadOnlySpan<int> candidates, long[] active);
}

/// <summary>Envoy ROUND_ROBIN with equal weights: the candidates in turn.</summary>
public sealed class RoundRobinBalancer : LoadBalancer
{
    private long _next = -1;

    /// <inheritdoc />
    public override int Pick(ReadOnlySpan<int> candidates, long[] active) =>
        (int)((ulong)Interlocked.Increment(ref _next) % (ulong)candidates.Length);
}

/// <summary>Envoy RANDOM: any candidate, uniformly.</summary>
public sealed class RandomBalancer(Func<int, int> random) : LoadBalancer
{
    /// <inheritdoc />
    public override int Pick(ReadOnlySpan<int> candidates, long[] active) => random(candidates.Length);
}

/// <summary>
/// Envoy LEAST_REQUEST with equal weights: two candidates drawn at random (possibly the same one), the one with fewer
/// requests in flight wins and the first drawn wins a tie (<c>choice_count</c> 2, Envoy's default, which Istio keeps).
/// </summary>
public sealed class LeastRequestBalancer(Func<int, int> random) : LoadBalancer
{
    private const int ChoiceCount = 2;

    /// <inheritdoc />
    public override int Pick(ReadOnlySpan<int> candidates, long[] active)
    {
        var best = random(candidates.Length);
        for (var i = 1; i < ChoiceCount; i++)
        {
            var sampled = random(candidates.Length);
            if (Interlocked.Read(ref active[candidates[sampled]]) < Interlocked.Read(ref active[candidates[best]]))
            {
                best = sampled;
            }
        }

        return best;
    }
}
