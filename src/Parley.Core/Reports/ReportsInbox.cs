using MimeKit;
using Parley.Core.Inbound;
using Parley.Core.Settings;

namespace Parley.Core.Reports;

/// <summary>
/// The reports addresses on the alias domain, dmarc-reports@ and tls-reports@ (the rua= of the records the doctor
/// suggests), as a special inbox of the alias domain (<see cref="IInboundMailbox"/>): mail to them is read as reports
/// instead of starting a conversation. A message fetched from a mailbox (where reports may already go) is taken too when
/// it announces itself as a report (RFC 7489 §7.2.1.1's subject, RFC 8460's TLS-Report-Domain or report-type=tlsrpt).
/// Whatever the message holds, it is taken: a report that cannot be read is kept, refused, with its reason.
/// </summary>
public sealed class ReportsInbox(ReportStore store, SettingsService settings) : IInboundMailbox
{
    public const string DmarcLocalPart = "dmarc-reports";
    public const string TlsLocalPart = "tls-reports";

    public static IReadOnlyList<string> LocalParts { get; } = [DmarcLocalPart, TlsLocalPart];

    public ValueTask<bool> HasAddressAsync(string localPart, CancellationToken cancellationToken) => ValueTask.FromResult(LocalParts.Contains(localPart));

    public async Task<InboxOutcome?> TryTakeAsync(InboundMessage inbound, MimeMessage message, IReadOnlyList<string> recipients, RouteContext context, CancellationToken cancellationToken)
    {
        var alias = await settings.GetAliasDomainAsync(cancellationToken);
        var toReports = alias is not null && recipients.Any(r => IsReportsAddress(r, alias));
        if (!toReports && !(inbound.FetchAccountId is not null && AnnouncesReport(message)))
        {
            return null;
        }

        var raw = inbound.RawMime?.Content ?? Serialize(message);
        var imports = await store.AddFromMailAsync(raw, inbound.Id, inbound.RawMimeId, "the email", cancellationToken);
        var stored = imports.Count(i => i.Status == ReportImportStatus.Stored);
        var words = string.Join(" ", imports.Select(i => i.Status switch
        {
            ReportImportStatus.Stored => i.Description,
            ReportImportStatus.Duplicate => $"{i.Source}: {i.Description}",
            _ => $"{i.Source}: {i.Description}",
        }));
        return new InboxOutcome($"Reports inbox: {stored} of {imports.Count} report(s) stored. {words}");
    }

    private static bool IsReportsAddress(string address, string alias)
    {
        var at = address.LastIndexOf('@');
        return at > 0 && address.AsSpan(at + 1).TrimEnd('.').Equals(alias, StringComparison.OrdinalIgnoreCase)
            && LocalParts.Contains(address[..at].ToLowerInvariant());
    }

    private static bool AnnouncesReport(MimeMessage message) =>
        message.Subject?.TrimStart().StartsWith("Report domain:", StringComparison.OrdinalIgnoreCase) == true
        || message.Headers.Contains("TLS-Report-Domain")
        || message.Body is MultipartReport { ReportType: { } type } && type.Equals("tlsrpt", StringComparison.OrdinalIgnoreCase);

    private static byte[] Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }
}
