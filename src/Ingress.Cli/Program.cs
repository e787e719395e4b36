using System.CommandLine;

var root = new RootCommand("ingress: validate, analyze and serve Istio ingress configuration locally.");
return root.Parse(args).Invoke();
