namespace HttpServer.Probes;

/// <summary>Whether this instance should receive traffic: false once shutdown begins or while switched off.</summary>
public sealed partial class ReadinessState
{
    private readonly ILogger<ReadinessState> _logger;
    private volatile bool _switchedOff;
    private volatile bool _shuttingDown;

    /// <summary>Creates the state and fails readiness as soon as the host signals shutdown.</summary>
    public ReadinessState(IHostApplicationLifetime lifetime, ILogger<ReadinessState> logger)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        _logger = logger;
        // SIGTERM reaches ApplicationStopping before the host starts stopping services.
        lifetime.ApplicationStopping.Register(MarkShuttingDown);
    }

    /// <summary>True while the instance wants traffic.</summary>
    public bool IsReady => !_switchedOff && !_shuttingDown;

    /// <summary>True once shutdown has begun; it never goes back.</summary>
    public bool IsShuttingDown => _shuttingDown;

    /// <summary>Fails readiness for good (shutdown has begun).</summary>
    public void MarkShuttingDown()
    {
        if (!_shuttingDown)
        {
            _shuttingDown = true;
            LogShuttingDown(_logger);
        }
    }

    /// <summary>Switches readiness off or back on (the <c>/readyz/disable</c> and <c>/readyz/enable</c> test-double endpoints).</summary>
    public void Switch(bool ready)
    {
        _switchedOff = !ready;
        LogSwitched(_logger, ready);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Shutdown begun: readiness now fails")]
    private static partial void LogShuttingDown(ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Readiness switched by request: ready={Ready}")]
    private static partial void LogSwitched(ILogger logger, bool ready);
}
