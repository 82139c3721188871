using Parley.Core.Records;

namespace Parley.Pages;

/// <summary>The page of each record type, so a link to a record (or one entry of its timeline) opens that record, whatever its type.</summary>
public static class RecordLinks
{
    public static string PageOf(string recordType, long recordId) => recordType switch
    {
        RecordDirectory.DeliverabilityType => $"/deliverability/{recordId}",
        Core.Mailings.MailingProgress.LiveType => $"/mailings/{recordId}",
        RecordDirectory.ContactType => $"/contacts/{recordId}",
        _ => $"/records/{recordType}/{recordId}",
    };

    /// <summary>One timeline entry of the record (the timeline names its entries m-ID).</summary>
    public static string EntryOf(string recordType, long recordId, long messageId) => $"{PageOf(recordType, recordId)}#m-{messageId}";
}
