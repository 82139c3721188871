using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Parley.Smtp.Tests.Support;

/// <summary>Routes ILogger output into the xunit test output, and keeps it for assertions.</summary>
public sealed class TestOutputLoggerFactory(ITestOutputHelper output, LogLevel minimum = LogLevel.Debug) : ILoggerFactory
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(TestOutputLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= factory._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"[{logLevel}] {category}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}";
            factory.Lines.Enqueue(line);
            try
            {
                factory._output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // Logged after the test finished (a session winding down); xunit no longer takes output.
            }
        }
    }

    private readonly ITestOutputHelper _output = output;
    private readonly LogLevel _minimum = minimum;
}

/// <summary>ILogger&lt;T&gt; over <see cref="TestOutputLoggerFactory"/>.</summary>
public sealed class TestLogger<T>(ILoggerFactory factory) : ILogger<T>
{
    private readonly ILogger _inner = factory.CreateLogger(typeof(T).FullName!);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _inner.Log(logLevel, eventId, state, exception, formatter);
}
