namespace Parley.Smtp.Delivery;

/// <summary>Settings of outbound SMTP delivery.</summary>
public sealed class SmtpDeliveryOptions
{
    /// <summary>Name sent in EHLO; should match the sending IP's PTR record. The local IP literal when null.</summary>
    public string? HeloName { get; set; }

    /// <summary>Limit for each network operation (connect, each command, the message upload).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Check certificate revocation when validating server certificates (needs network access to CRL/OCSP).</summary>
    public bool CheckCertificateRevocation { get; set; }
}
