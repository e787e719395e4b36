using Ingress.Cli;

// Every command is registered in CliApp, so tests run exactly what users run.
return CliApp.Run(args, Console.Out, Console.Error, Console.In);
