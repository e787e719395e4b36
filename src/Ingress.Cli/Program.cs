using System.CommandLine;
using Ingress.Cli.Commands;

var root = new RootCommand("ingress: validate, analyze and serve Istio ingress configuration locally.");
root.Subcommands.Add(GatewayCommand.Create(Console.Out, Console.Error, Console.In));
root.Subcommands.Add(RoutesCommand.Create(Console.Out, Console.Error, Console.In));
return root.Parse(args).Invoke();
