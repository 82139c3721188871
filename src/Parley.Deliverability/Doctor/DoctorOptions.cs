using System.ComponentModel.DataAnnotations;
using Parley.Deliverability.Checks;

namespace Parley.Deliverability.Doctor;

/// <summary>Settings of the doctor ("Doctor" configuration section).</summary>
public sealed class DoctorOptions
{
    public const string Section = "Doctor";

    /// <summary>DNS block lists to look the sending IP up in; empty disables the check.</summary>
    public List<string> DnsblZones { get; set; } = [.. DnsblCheck.DefaultZones];

    /// <summary>Upper bound for one report; checks still running then become "timed out" findings.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
