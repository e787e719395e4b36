namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>Waits for a condition by polling it with a deadline (never a fixed sleep).</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met before the deadline");
            await Task.Delay(10);
        }
    }
}
