using System.Globalization;
using YamlDotNet.RepresentationModel;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Hosting.Endpoints;

/// <summary>
/// Reads <c>--endpoints FILE</c>: a YAML or JSON list whose items are either the <c>--endpoint</c> string form or a map
/// <c>{host, port, url, labels}</c>.
/// </summary>
public static class EndpointFileReader
{
    /// <summary>Reads the file; every problem is returned with the file and line.</summary>
    public static IReadOnlyList<EndpointDefinition> Read(string path, List<string> errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            errors.Add($"{path}: cannot read the endpoints file: {e.Message}");
            return [];
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            errors.Add($"{path}:{e.Start.Line}: not valid YAML or JSON: {e.Message}");
            return [];
        }

        var result = new List<EndpointDefinition>();
        if (stream.Documents.Count == 0)
        {
            return result;
        }

        if (stream.Documents[0].RootNode is not YamlSequenceNode list)
        {
            errors.Add($"{path}:{stream.Documents[0].RootNode.Start.Line}: expected a list of endpoints");
            return result;
        }

        foreach (var item in list)
        {
            var line = item.Start.Line;
            switch (item)
            {
                case YamlScalarNode scalar:
                    var parsed = EndpointParser.Parse(scalar.Value ?? "", out var error);
                    if (error is null)
                    {
                        result.Add(parsed);
                    }
                    else
                    {
                        errors.Add($"{path}:{line}: {error}");
                    }

                    break;
                case YamlMappingNode map:
                    var entry = FromMap(map, out var mapError);
                    if (mapError is null)
                    {
                        result.Add(entry!);
                    }
                    else
                    {
                        errors.Add($"{path}:{line}: {mapError}");
                    }

                    break;
                default:
                    errors.Add($"{path}:{line}: an endpoint is a string or a map with host, port, url and labels");
                    break;
            }
        }

        return result;
    }

    private static EndpointDefinition? FromMap(YamlMappingNode map, out string? error)
    {
        string? Scalar(string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

        var host = Scalar("host");
        var portText = Scalar("port");
        var url = Scalar("url");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(portText) || string.IsNullOrEmpty(url))
        {
            error = "an endpoint map needs host, port and url (labels optional)";
            return null;
        }

        var labels = new List<string>();
        if (map.Children.TryGetValue(new YamlScalarNode("labels"), out var labelNode) && labelNode is YamlMappingNode labelMap)
        {
            foreach (var (k, v) in labelMap.Children)
            {
                labels.Add(string.Create(CultureInfo.InvariantCulture, $"{((YamlScalarNode)k).Value}={(v as YamlScalarNode)?.Value}"));
            }
        }

        var text = $"{host}:{portText}={url}" + (labels.Count > 0 ? ";" + string.Join(';', labels) : "");
        var parsed = EndpointParser.Parse(text, out error);
        return error is null ? parsed : null;
    }
}
