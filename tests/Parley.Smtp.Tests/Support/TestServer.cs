using Microsoft.Extensions.Options;
using Parley.Smtp.Listener;

namespace Parley.Smtp.Tests.Support;

/// <summary>A real <see cref="SmtpListener"/> on 127.0.0.1 port 0, with an in-memory store; stopped on dispose.</summary>
public sealed record TestServer(SmtpListener Listener, InMemoryMessageStore Store, TestOutputLoggerFactory Logs) : IAsyncDisposable
{
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

    /// <summary>A session that is in DATA: EHLO, MAIL FROM:&lt;a@client.test&gt; and RCPT TO:&lt;a@parley.test&gt; sent, DATA answered 354.</summary>
    public async Task<RawSmtpClient> OpenDataAsync(ITestOutputHelper output)
    {
        var client = await ConnectAsync(output);
        try
        {
            await client.CommandAsync("EHLO client.test");
            await client.CommandAsync("MAIL FROM:<a@client.test>");
            await client.CommandAsync("RCPT TO:<a@parley.test>");
            Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Listener.DisposeAsync();
}
