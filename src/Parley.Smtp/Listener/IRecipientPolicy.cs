namespace Parley.Smtp.Listener;

/// <summary>Decides, per RCPT TO, whether Parley accepts mail for an address (the host knows its domains).</summary>
public interface IRecipientPolicy
{
    ValueTask<RecipientDecision> CheckRecipientAsync(SmtpSessionInfo session, string address, CancellationToken cancellationToken);
}

/// <summary>Accept, or reject with the SMTP reply the client will see.</summary>
public sealed record RecipientDecision
{
    public static RecipientDecision Accept { get; } = new(true, 250, "2.1.5", "Ok");

    private RecipientDecision(bool accepted, int code, string enhancedCode, string text)
    {
        Accepted = accepted;
        Code = code;
        EnhancedCode = enhancedCode;
        Text = text;
    }

    public bool Accepted { get; }

    public int Code { get; }

    public string EnhancedCode { get; }

    public string Text { get; }

    /// <summary>A refusal; 4xx codes ask the client to retry later, 5xx refuse for good.</summary>
    public static RecipientDecision Reject(int code, string enhancedCode, string text)
    {
        if (code is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "A rejection needs a 4xx or 5xx code.");
        }

        return new(false, code, enhancedCode, text);
    }

    /// <summary>550 5.7.1 for a domain that is not Parley's.</summary>
    public static RecipientDecision RelayDenied(string address) =>
        Reject(550, "5.7.1", $"<{address}>: Relay access denied");

    /// <summary>550 5.1.1 for a local address that does not exist.</summary>
    public static RecipientDecision UnknownUser(string address) =>
        Reject(550, "5.1.1", $"<{address}>: Recipient address rejected: User unknown");
}
