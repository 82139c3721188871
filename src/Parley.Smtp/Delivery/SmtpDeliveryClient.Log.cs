using Microsoft.Extensions.Logging;

namespace Parley.Smtp.Delivery;

public sealed partial class SmtpDeliveryClient
{
    private void LogDelivery(DeliveryResult result)
    {
        if (result.IsSent)
        {
            Delivered(_logger, result.Host ?? "-", result.Recipients.Count(r => r.Outcome == DeliveryOutcome.Sent), result.Response);
        }
        else
        {
            NotDelivered(_logger, result.Host ?? "-", result.Outcome, result.Stage, result.StatusCode, result.Response);
        }
    }

    [LoggerMessage(2000, LogLevel.Debug, "Delivered via {Host} to {RecipientCount} recipient(s): {Response}")]
    private static partial void Delivered(ILogger logger, string host, int recipientCount, string response);

    [LoggerMessage(2001, LogLevel.Warning, "Delivery via {Host} failed ({Outcome}) at {Stage}: {StatusCode} {Response}")]
    private static partial void NotDelivered(ILogger logger, string host, DeliveryOutcome outcome, DeliveryStage stage, int statusCode, string response);

    [LoggerMessage(2002, LogLevel.Information, "Pooled SMTP session to {Endpoint} was dead ({StatusCode} {Response}); retrying once on a new session")]
    private static partial void LogStaleSession(ILogger logger, string endpoint, int statusCode, string response);

    [LoggerMessage(2003, LogLevel.Information, "MX {Host} [{Address}] of {Domain} did not take the session ({StatusCode} {Response}); trying the next")]
    private static partial void LogNextMx(ILogger logger, string domain, string host, string address, int statusCode, string response);

    [LoggerMessage(2004, LogLevel.Information, "Rate limit for {Domain} reached; deferring")]
    private static partial void LogRateLimited(ILogger logger, string domain);

    [LoggerMessage(2006, LogLevel.Warning, "{Domain}'s MTA-STS policy is in testing mode; enforce would have refused it: {Problem} (MX {Host})")]
    private static partial void LogMtaStsTestingFailure(ILogger logger, string domain, string host, string problem);

    [LoggerMessage(2005, LogLevel.Information, "{Domain} asked to slow down; holding its mail for {Wait}")]
    private static partial void LogThrottled(ILogger logger, string domain, TimeSpan wait);
}
