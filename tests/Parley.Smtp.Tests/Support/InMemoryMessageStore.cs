using System.Collections.Concurrent;
using Parley.Smtp.Listener;

namespace Parley.Smtp.Tests.Support;

/// <summary>A test store that keeps messages in memory; <see cref="Behaviour"/> can make it fail.</summary>
public sealed class InMemoryMessageStore : IInboundMessageStore
{
    private int _sequence;

    public ConcurrentQueue<StoredMessage> Messages { get; } = new();

    /// <summary>Called before storing; return a result to answer instead, throw to simulate a crash.</summary>
    public Func<SmtpEnvelope, StoreResult?>? Behaviour { get; set; }

    public async ValueTask<StoreResult> StoreAsync(SmtpEnvelope envelope, Stream rawMessage, CancellationToken cancellationToken)
    {
        if (Behaviour?.Invoke(envelope) is { } answer)
        {
            return answer;
        }

        using var copy = new MemoryStream();
        await rawMessage.CopyToAsync(copy, cancellationToken);
        var id = $"Q{Interlocked.Increment(ref _sequence)}";
        Messages.Enqueue(new StoredMessage(id, envelope, copy.ToArray()));
        return StoreResult.Stored(id);
    }
}

public sealed record StoredMessage(string QueueId, SmtpEnvelope Envelope, byte[] Raw)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Raw);

    /// <summary>The message without the listener's Received header.</summary>
    public string Content
    {
        get
        {
            var text = Text;
            Assert.StartsWith("Received: ", text);
            // The Received header ends at the first line that is not a continuation.
            var index = 0;
            do
            {
                index = text.IndexOf("\r\n", index, StringComparison.Ordinal) + 2;
            }
            while (index < text.Length && text[index] == '\t');
            return text[index..];
        }
    }
}

/// <summary>Accepts mail for parley.test (except unknown@), refuses relaying elsewhere.</summary>
public sealed class TestRecipientPolicy : IRecipientPolicy
{
    public ValueTask<RecipientDecision> CheckRecipientAsync(SmtpSessionInfo session, string address, CancellationToken cancellationToken)
    {
        var at = address.LastIndexOf('@');
        var domain = at < 0 ? string.Empty : address[(at + 1)..];
        if (at < 0 && address.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(RecipientDecision.Accept);
        }

        if (!domain.Equals("parley.test", StringComparison.OrdinalIgnoreCase) && !domain.EndsWith(".parley.test", StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(RecipientDecision.RelayDenied(address));
        }

        return ValueTask.FromResult(address.StartsWith("unknown@", StringComparison.OrdinalIgnoreCase)
            ? RecipientDecision.UnknownUser(address)
            : RecipientDecision.Accept);
    }
}
