namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A fresh Parley for each test that sends through an smtp-sink of its own
/// (<see cref="ParleyApi.ServeWithRelayAsync"/>): on SQLite, or, given the PostgreSQL fixture, on a database of its
/// own there. The base of the conversation tests that run on both databases.
/// </summary>
public abstract class RelayedParleyTests(PostgresFixture? postgres, ITestOutputHelper output) : ParleyPerTest(ParleyApi.AliasDomain)
{
    protected const string AliasDomain = ParleyApi.AliasDomain;

    /// <summary>The relay every email goes out to.</summary>
    protected SmtpSinkPeer Sink { get; private set; } = null!;

    protected ITestOutputHelper Output => output;

    protected override async Task<ParleyHost> StartAsync()
    {
        Sink = await SmtpSinkPeer.StartAsync();
        var database = postgres is null ? null : await postgres.CreateDatabaseAsync();
        var parley = await ParleyApi.ServeWithRelayAsync(Sink, options: o => o with { Database = database });
        await ArrangeAsync(parley);
        return parley;
    }

    /// <summary>What a test class sets up on top, before each test (e.g. a record type).</summary>
    protected virtual Task ArrangeAsync(ParleyHost parley) => Task.CompletedTask;

    /// <summary>The customer answers by swaks to <paramref name="replyTo"/>, In-Reply-To <paramref name="inReplyTo"/>, and the listener takes it.</summary>
    protected async Task ReplyAsync(string from, string replyTo, string inReplyTo, string subject, string body)
    {
        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = Parley.SmtpPort,
            From = from,
            To = [replyTo],
            Headers = [$"In-Reply-To: <{inReplyTo}>", $"Subject: {subject}"],
            Body = body,
        });
        output.WriteLine(swaks.Transcript);
        Assert.Equal(0, swaks.ExitCode);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
