using Parley.Core.Chatter;
using Parley.Smtp.Delivery;

namespace Parley.Core.Outbox;

/// <summary>
/// Every change of an outbox row's delivery state, and the same change shown on its chatter message: the one place
/// that writes both, so the Outbox page and the chatter never tell two stories.
/// </summary>
public static class OutboxTransitions
{
    /// <summary>What the server said (or why nothing was sent): sent, failed, or deferred by the retry delays until the give-up time.</summary>
    public static void ApplyOutcome(OutboxItem item, DeliveryAttempt attempt, DateTimeOffset now, OutboxOptions options)
    {
        var result = attempt.Result;
        var text = result.ReplyText;
        item.Attempts++;
        item.LastCode = result.StatusCode == 0 ? null : result.StatusCode;
        item.LastError = result.IsSent ? null : text;
        item.Route = attempt.Route;
        item.LeaseOwner = null;
        item.LeaseUntil = null;
        switch (result.Outcome)
        {
            case DeliveryOutcome.Sent:
                item.State = DeliveryState.Sent;
                item.SentAt = now;
                break;
            case DeliveryOutcome.PermanentFailure:
                item.State = DeliveryState.Failed;
                break;
            default:
                if (now - item.CreatedAt >= options.GiveUpAfter)
                {
                    item.State = DeliveryState.Failed;
                    item.LastError = $"Gave up after {item.Attempts} attempts. Last answer: {text}";
                }
                else
                {
                    item.State = DeliveryState.Deferred;
                    var delays = options.RetryDelays;
                    item.NextAttemptAt = now + delays[Math.Min(item.Attempts - 1, delays.Length - 1)];
                }
                break;
        }
        var message = ShowOnChatter(item);
        message.Route = attempt.Route;
        message.ServerReply = item.LastCode is { } code ? $"{code} {text}" : text;
    }

    /// <summary>The lease given back untouched: the row was claimed, but its delivery was not started.</summary>
    public static void Release(OutboxItem item)
    {
        item.LeaseOwner = null;
        item.LeaseUntil = null;
    }

    /// <summary>Retry by hand: due now, with a fresh give-up window.</summary>
    public static void Requeue(OutboxItem item, DateTimeOffset now)
    {
        item.State = DeliveryState.Queued;
        item.NextAttemptAt = now;
        item.LeaseOwner = null;
        item.LeaseUntil = null;
        item.CreatedAt = now;
        ShowOnChatter(item);
    }

    public static void Cancel(OutboxItem item)
    {
        item.State = DeliveryState.Failed;
        item.LastError = "Cancelled by hand.";
        ShowOnChatter(item);
    }

    private static ChatterMessage ShowOnChatter(OutboxItem item)
    {
        var message = item.ChatterMessage!;
        message.State = item.State;
        message.Error = item.State == DeliveryState.Queued ? null : item.LastError;
        return message;
    }
}
