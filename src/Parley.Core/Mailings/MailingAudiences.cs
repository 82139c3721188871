using Parley.Core.Common;
using Parley.Core.Mailings.Filters;
using Parley.Core.Records;

namespace Parley.Core.Mailings;

/// <summary>How many records an audience would reach and a few of them, so a user sees "1,234 recipients" before sending.</summary>
public sealed record AudiencePreview(int Count, IReadOnlyList<RecordView> Sample);

/// <summary>Previews the audience of a mailing not yet made: the same filter, tag or ids the mailing would be given.</summary>
public sealed class MailingAudiences(IEnumerable<IMailingAudience> audiences)
{
    public const int SampleSize = 5;

    /// <exception cref="FilterException">The filter cannot be read for the type (its message and column say where).</exception>
    public async Task<AudiencePreview> PreviewAsync(string? recordType, AudienceFilter filter, CancellationToken cancellationToken)
    {
        var audience = MailingQueuer.AudienceFor(audiences, string.IsNullOrWhiteSpace(recordType) ? RecordDirectory.ContactType : recordType.Trim().ToLowerInvariant());
        if (!string.IsNullOrWhiteSpace(filter.Filter))
        {
            audience.CheckFilter(filter.Filter);
        }
        if (filter.RecordIds is { Count: > MailingService.MaxRecordIds })
        {
            throw new InvalidInputException("recordIds", $"List at most {MailingService.MaxRecordIds:N0} records.");
        }
        var count = await audience.CountAsync(filter, cancellationToken);
        var sample = count == 0 ? [] : await audience.PageAsync(filter, 0, SampleSize, cancellationToken);
        return new AudiencePreview(count, sample.Select(m => m.View).ToList());
    }

    /// <summary>The reason <paramref name="filter"/> cannot be read for the audience's type, with its column; null when it can.</summary>
    public static string? FilterError(IMailingAudience audience, string filter)
    {
        try
        {
            audience.CheckFilter(filter);
            return null;
        }
        catch (FilterException e)
        {
            return e.Message;
        }
    }
}
