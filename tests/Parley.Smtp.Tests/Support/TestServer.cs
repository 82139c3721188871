using Microsoft.Extensions.Options;
using Parley.Smtp.Listener;

namespace Parley.Smtp.Tests.Support;

/// <summary>A real <see cref="SmtpListener"/> on 127.0.0.1 port 0, with an in-memory store; stopped on dispose.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(SmtpListener listener, InMemoryMessageStore store, TestOutputLoggerFactory logs)
    {
        Listener = listener;
        Store = store;
        Logs = logs;
    }

    public SmtpListener Listener { get; }

    public InMemoryMessageStore Store { get; }

    public TestOutputLoggerFactory Logs { get; }

    public int Port => Listener.Port;

    public static async Task<TestServer> StartAsync(
        ITestOutputHelper output,
        Action<SmtpListenerOptions>? configure = null,
        TimeProvider? timeProvider = null,
        IRecipientPolicy? policy = null,
        Microsoft.Extensions.Logging.LogLevel logLevel = Microsoft.Extensions.Logging.LogLevel.Debug)
    {
        var options = new SmtpListenerOptions { Host = "127.0.0.1", Port = 0, ServerName = "mx.parley.test" };
        configure?.Invoke(options);
        var store = new InMemoryMessageStore();
        var logs = new TestOutputLoggerFactory(output, logLevel);
        var listener = new SmtpListener(Options.Create(options), policy ?? new TestRecipientPolicy(), store, logs, timeProvider);
        await listener.StartAsync(CancellationToken.None);
        return new TestServer(listener, store, logs);
    }

    public async Task<RawSmtpClient> ConnectAsync(ITestOutputHelper output, bool readGreeting = true, System.Net.IPAddress? from = null)
    {
        var client = await RawSmtpClient.ConnectAsync(Port, output, from, (Listener.EndPoint as System.Net.IPEndPoint)?.Address);
        if (readGreeting)
        {
            var greeting = await client.ReadReplyAsync();
            Assert.Equal(220, greeting.Code);
        }

        return client;
    }

    public ValueTask DisposeAsync() => Listener.DisposeAsync();
}
