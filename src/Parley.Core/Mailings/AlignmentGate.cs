using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Doctor;
using Parley.Deliverability.Doctor;

namespace Parley.Core.Mailings;

/// <summary>
/// Before a big mailing (more than <see cref="MailingOptions.AlignmentGateRecipients"/> recipients) starts, the domain it
/// is sent as must pass the doctor's SPF, DKIM and DMARC checks in its last report: providers judge bulk senders by
/// aligned authentication, and thousands of unaligned emails hurt the domain for weeks. The domain is the sender's when
/// it is a registered sending domain, else the alias domain (the From is rewritten to notifications@ then).
/// </summary>
public sealed class AlignmentGate(ParleyDbContext db)
{
    private static readonly string[] Areas = ["spf", "dkim", "dmarc"];

    /// <summary>What stands in the way, in words, or null when the domain passes.</summary>
    public async Task<string?> ProblemAsync(string senderAddress, string aliasDomain, CancellationToken cancellationToken)
    {
        var senderDomain = EmailAddress.DomainOf(senderAddress);
        var domain = await db.SendingDomains.AsNoTracking().FirstOrDefaultAsync(d => d.Name == senderDomain, cancellationToken)
            ?? await db.SendingDomains.AsNoTracking().FirstOrDefaultAsync(d => d.Name == aliasDomain, cancellationToken);
        if (domain is null)
        {
            return $"Neither {senderDomain} nor {aliasDomain} is a registered sending domain, so the doctor has not checked them.";
        }
        var run = await db.DoctorRuns.AsNoTracking().Where(r => r.SendingDomainId == domain.Id).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (DoctorReportReader.TryRead(run?.FindingsJson) is not { IsTemporaryFailure: false } report)
        {
            return $"The doctor has no report of {domain.Name} yet: run it on the Domains page first.";
        }
        var failing = report.Findings.Where(f => f.Severity == FindingSeverity.Fail && Areas.Contains(f.AreaOf())).Select(f => f.Title).ToList();
        return failing.Count == 0 ? null
            : $"The doctor finds {domain.Name}'s authentication not in order: {string.Join("; ", failing)}. Fix it on the Domains page first.";
    }
}
