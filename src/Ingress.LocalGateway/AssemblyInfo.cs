namespace Ingress.LocalGateway;
