namespace Parley.Core.Records;

/// <summary>
/// A record as created or edited (API body or form). An update takes any subset: a field left out keeps its value, a
/// field given as null (or empty) is cleared.
/// </summary>
/// <param name="Stage">A stage key; at creation, the type's first stage when null.</param>
/// <param name="Fields">Values by field key: JSON values from the API, strings from a form.</param>
/// <param name="SetsAssignee">Whether <paramref name="Assignee"/> is given (null then unassigns).</param>
/// <param name="Version">The version the edit was made on; an edit of an older version is refused with what changed.</param>
public sealed record RecordInput(string? Stage, IReadOnlyDictionary<string, object?>? Fields, bool SetsAssignee = false, long? Assignee = null,
    int? Version = null);

/// <summary>What a list of records shows: filters (stage, assignee, any field; <c>customer</c> is the customer field), a search, a sort.</summary>
/// <param name="Sort">A field key, <c>reference</c>, <c>stage</c>, <c>created_at</c> or <c>updated_at</c>; a leading '-' sorts descending.
/// Newest first when null.</param>
/// <param name="Filters">Values by field key, compared exactly (text case-insensitively).</param>
public sealed record RecordListQuery(string? Stage = null, string? Q = null, string? Sort = null, int Skip = 0, int Take = 50, long? Assignee = null,
    IReadOnlyDictionary<string, string>? Filters = null);
