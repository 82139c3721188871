using Microsoft.Extensions.Logging;
using Parley.Smtp.Tests.Support;
using Parley.Testing;

namespace Parley.Smtp.Tests.Listener;

/// <summary>postfix's smtp-source against the listener: every acknowledged message must be stored.</summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Smtp_source_20_sessions_2000_messages_all_acknowledged_messages_are_stored()
    {
        await using var server = await TestServer.StartAsync(output, o => o.MaxConnectionsPerIp = 50, logLevel: LogLevel.Warning);

        var result = await SmtpSourcePeer.RunAsync(server.Port, new SmtpSourceOptions
        {
            Sessions = 20,
            Messages = 2000,
            MessageSize = 4096,
            From = "load@client.test",
            To = "load@parley.test",
            Timeout = TimeSpan.FromSeconds(45),
        });

        output.WriteLine($"smtp-source exit {result.ExitCode}, acknowledged {result.Acknowledged} in {result.Elapsed.TotalSeconds:F2} s " +
                         $"({result.Acknowledged / result.Elapsed.TotalSeconds:F0} msg/s); stderr: {result.Errors}");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2000, result.Acknowledged);
        Assert.Equal(result.Acknowledged, server.Store.Messages.Count);
        var sample = server.Store.Messages.First();
        Assert.True(sample.Content.Length >= 4096, $"stored {sample.Content.Length} bytes");
        Assert.Equal(["load@parley.test"], sample.Envelope.Recipients);
    }
}
