using System.CommandLine;
using Ingress.Cli.Commands;

var root = new RootCommand("ingress: validate, analyze and serve Istio ingress configuration locally.")
{
    UpCommand.Create(),
};
return root.Parse(args).Invoke();
