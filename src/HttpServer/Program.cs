using HttpServer;

return await HttpServerApp.RunAsync(args);

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
