using Parley.Core.Records;

namespace Parley.Core.Mailings;

/// <summary>Who a mailing goes to: everyone with a tag, the listed records, those a <paramref name="Filter"/> matches
/// (docs/mailing-filters.md), or (none given) every record of the type.</summary>
public sealed record AudienceFilter(string? Tag, IReadOnlyList<long>? RecordIds, string? Filter = null)
{
    public string Describe(string recordType) =>
        Filter is { } filter ? $"{recordType} records where {filter}" : Tag is { } tag ? $"{recordType} records tagged \"{tag}\"" : RecordIds is { Count: > 0 } ids ? $"the {ids.Count} listed {recordType} records" : $"every {recordType} record";
}

/// <summary>One record a mailing may go to, as templates see it, with the language its email should be in (null: the default).</summary>
public sealed record AudienceMember(RecordView View, string? Language);

/// <summary>
/// The recipients of mailings to one record type: contacts today (<see cref="ContactAudience"/>); an admin-defined
/// record type plugs in with its own. Pages are in id order, so queuing can resume after the last id it wrote.
/// </summary>
public interface IMailingAudience
{
    string RecordType { get; }

    /// <summary>The names a filter over this type may use, as errors list them.</summary>
    IReadOnlyList<string> FilterFieldNames { get; }

    /// <summary>Throws a <see cref="Filters.FilterException"/> when <paramref name="filter"/> cannot be read for this type.</summary>
    void CheckFilter(string filter);

    /// <summary>How many records match and have an email address.</summary>
    Task<int> CountAsync(AudienceFilter filter, CancellationToken cancellationToken);

    /// <summary>The next records after <paramref name="afterId"/>, by id, each with an email address.</summary>
    Task<IReadOnlyList<AudienceMember>> PageAsync(AudienceFilter filter, long afterId, int take, CancellationToken cancellationToken);
}
