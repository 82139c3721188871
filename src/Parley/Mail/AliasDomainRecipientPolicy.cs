using Parley.Core.Inbound;
using Parley.Smtp.Listener;

namespace Parley.Mail;

/// <summary>The listener's RCPT question, answered by Core's <see cref="RecipientAcceptance"/>; this only words the SMTP reply.</summary>
public sealed class AliasDomainRecipientPolicy(RecipientAcceptance acceptance) : IRecipientPolicy
{
    public async ValueTask<RecipientDecision> CheckRecipientAsync(SmtpSessionInfo session, string address, CancellationToken cancellationToken) =>
        await acceptance.CheckAsync(address, cancellationToken) switch
        {
            RecipientVerdict.Accepted => RecipientDecision.Accept,
            RecipientVerdict.BadSyntax => RecipientDecision.Reject(501, "5.1.3", $"<{address}>: Bad recipient address syntax"),
            RecipientVerdict.NoAliasDomain => RecipientDecision.Reject(451, "4.3.0", "This Parley has no alias domain configured yet; try again later"),
            RecipientVerdict.OtherDomain => RecipientDecision.RelayDenied(address),
            _ => RecipientDecision.Reject(550, "5.1.1", $"<{address}>: no such address here (unknown alias)"),
        };
}
