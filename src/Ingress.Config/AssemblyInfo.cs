namespace Ingress.Config;
