using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Inbound;

namespace Parley.Core.SpamTest;

/// <summary>
/// Scores the test messages kept by <see cref="SpamTestInbox"/>: the raw message and its envelope from the inbound row,
/// the Authentication-Results the router recorded, the checks of <see cref="SpamChecker"/>; the report is saved with
/// the message. A message the checks cannot finish still gets a report that says so.
/// </summary>
public sealed class SpamTestScorer(ParleyDbContext db, SpamChecker checker)
{
    public async Task<int> ScorePendingAsync(int max, CancellationToken cancellationToken)
    {
        var pending = await db.Set<SpamTestMessage>().Where(m => m.ScoredAt == null).OrderBy(m => m.Id).Take(max).ToListAsync(cancellationToken);
        foreach (var message in pending)
        {
            var inbound = await db.Inbound.AsNoTracking().Where(i => i.Id == message.InboundMessageId)
                .Select(i => new { i.ClientAddress, i.Helo, i.MailFrom, i.Source, i.AuthenticationResults, Raw = i.RawMime!.Content }).FirstAsync(cancellationToken);
            var ip = inbound.Source == InboundEnvelope.Smtp && IPAddress.TryParse(inbound.ClientAddress, out var parsed) ? parsed : null;
            var report = await checker.ScoreAsync(new SpamTestSubject(inbound.Raw, ip, inbound.Helo, inbound.MailFrom, AuthenticationResults: inbound.AuthenticationResults), cancellationToken);
            message.ReportJson = SpamReportJson.Serialize(report);
            message.Score = report.Score;
            message.ScoredAt = report.ScoredAt;
            var test = await db.Set<SpamTestAddress>().FirstAsync(t => t.Id == message.SpamTestAddressId, cancellationToken);
            // The test shows its latest message's score, whatever order the reports finish in.
            var newer = await db.Set<SpamTestMessage>().AnyAsync(m => m.SpamTestAddressId == test.Id && m.Id > message.Id, cancellationToken);
            if (!newer)
            {
                test.LastScore = report.Score;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return pending.Count;
    }
}
