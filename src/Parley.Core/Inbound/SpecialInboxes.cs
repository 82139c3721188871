using Parley.Core.Inbound.Complaints;
using Parley.Core.Mailings;
using Parley.Core.SpamTest;

namespace Parley.Core.Inbound;

/// <summary>
/// The special inboxes, in the one order in which routing asks them, before any other rule (<see cref="RoutingSteps"/>), and
/// the list RCPT time asks for their addresses:
/// <list type="number">
/// <item>the spam-test inbox (<see cref="SpamTestInbox"/>): it must see a message whatever it is, a copy of one Parley sent,
/// a duplicate, even a feedback report sent to a test address;</item>
/// <item>feedback-loop complaints (<see cref="ComplaintProcessor"/>), before bounces, which would take a report sent to a
/// VERP address for an automatic reply;</item>
/// <item>unsubscribe requests by mail (<see cref="UnsubscribeMailbox"/>), before replies and aliases: the address decides;</item>
/// <item>then any other <see cref="IInboundMailbox"/> registered, in registration order.</item>
/// </list>
/// </summary>
public sealed class SpecialInboxes(SpamTestInbox spamTests, ComplaintProcessor complaints, UnsubscribeMailbox unsubscribes, IEnumerable<IInboundMailbox> others)
{
    public IReadOnlyList<IInboundMailbox> InOrder { get; } = [spamTests, complaints, unsubscribes, .. others];
}
