namespace Ingress.Cli.LocalSystem;

/// <summary>Polls a part's readiness URL until it answers 200, the part exits, or the deadline passes.</summary>
public static class Readiness
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until <paramref name="url"/> answers 200; throws with the part's last output when it exits or times out.</summary>
    public static async Task WaitAsync(HttpClient http, ChildProcess part, Uri url, DateTimeOffset deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(time);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (part.HasExited)
            {
                await part.DrainOutputAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                throw new LocalSystemException(
                    $"{part.Name} exited with code {part.ExitCode} before it was ready. Its last output ({part.Spec.LogPath}):\n{Indent(part.Tail())}");
            }

            if (await AnswersOkAsync(http, url, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new LocalSystemException(
                    $"{part.Name} was not ready ({url} did not answer 200) in time. Its last output ({part.Spec.LogPath}):\n{Indent(part.Tail())}");
            }

            await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> AnswersOkAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(2));
            using var response = await http.GetAsync(url, attempt.Token).ConfigureAwait(false);
            return response.StatusCode == System.Net.HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string Indent(string text) =>
        string.IsNullOrEmpty(text) ? "    (nothing)" : string.Join('\n', text.Split('\n').Select(l => "    " + l));
}
