using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Parley.Tests.Fixtures;

/// <summary>Keeps what a host logs, so a test can read what an operator would see in serve's log.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture.Lines.Enqueue($"[{logLevel}] {formatter(state, exception)}");
            }
        }
    }
}
