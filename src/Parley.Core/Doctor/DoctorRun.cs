namespace Parley.Core.Doctor;

/// <summary>
/// The last doctor report of a sending domain, kept so the Domains page can show it and the next run
/// can tell what changed. <see cref="FindingsJson"/> is the report in the API's JSON shape.
/// </summary>
public sealed class DoctorRun
{
    public long Id { get; set; }
    public long SendingDomainId { get; set; }
    public DateTimeOffset CheckedAt { get; set; }
    public required string FindingsJson { get; set; }
}
