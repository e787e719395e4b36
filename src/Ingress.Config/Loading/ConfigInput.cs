namespace Ingress.Config.Loading;

/// <summary>
/// One input to load: a file, a folder (read recursively) or <c>-</c> for standard input, and the namespace its
/// documents without <c>metadata.namespace</c> are applied in, as with <c>kubectl apply -n NAMESPACE -f PATH</c>.
/// </summary>
public sealed record ConfigInput(string Path, string Namespace);
