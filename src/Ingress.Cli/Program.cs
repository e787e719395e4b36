using System.CommandLine;
using Ingress.Cli.Commands;

var root = new RootCommand("ingress: validate, analyze and serve Istio ingress configuration locally.")
{
    UpCommand.Create(),
    GatewayCommand.Create(Console.Out, Console.Error, Console.In),
    RoutesCommand.Create(Console.Out, Console.Error, Console.In),
};
return root.Parse(args).Invoke();
