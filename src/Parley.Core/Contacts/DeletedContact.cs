namespace Parley.Core.Contacts;

/// <summary>
/// What is left of a deleted contact (ADR 0026): who she was, who deleted her and when, and whether her timeline was
/// kept. Its id is the contact's id, so her kept chatter (still filed under that id) is found by it, and a reply
/// to an address Parley signed for her is known to belong to nobody now.
/// </summary>
public sealed class DeletedContact
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    public DateTimeOffset DeletedAt { get; set; }
    public string DeletedByName { get; set; } = "";
    /// <summary>True: her timeline stays readable under this entry. False: it was deleted with her.</summary>
    public bool TimelineKept { get; set; }
}
