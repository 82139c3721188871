namespace Parley.Core.Records;

/// <summary>A record type as an admin defines it (API body and form alike); PUT takes the whole definition again.</summary>
public sealed record RecordTypeInput(
    string? Key, string? Name, string? SingularLabel, string? Prefix, IReadOnlyList<FieldInput>? Fields, string? CustomerField,
    IReadOnlyList<StageInput>? Stages);

/// <param name="Type">One of <see cref="FieldTypes.Names"/>.</param>
/// <param name="Choices">For a choice field, in order.</param>
/// <param name="Currency">For a money field (ISO 4217, e.g. EUR).</param>
public sealed record FieldInput(string? Key, string? Label, string? Type, bool? Required = null, bool? Tracked = null, IReadOnlyList<string>? Choices = null,
    string? Currency = null);

public sealed record StageInput(string? Key, string? Name, bool? Done = null, bool? Cancelled = null);
