using Microsoft.AspNetCore.DataProtection;
using Parley.Core.Settings;

namespace Parley.Core.Tests.Settings;

/// <summary>Secrets kept in rows: encrypted at rest, and, when the keys changed, an error that says which secret and what to do.</summary>
public sealed class SecretProtectorTests
{
    private readonly SecretProtector _protector = new(new EphemeralDataProtectionProvider());

    /// <summary>The same purpose under other keys, as after the data directory's keys folder was lost.</summary>
    private static readonly SecretProtector OtherKeys = new(new EphemeralDataProtectionProvider());

    [Fact]
    public void A_secret_comes_back_as_it_went_in_and_is_not_stored_in_clear()
    {
        var stored = _protector.Protect("s3cret-pass");
        Assert.NotNull(stored);
        Assert.DoesNotContain("s3cret-pass", stored);
        Assert.Equal("s3cret-pass", _protector.Unprotect(stored, StoredSecret.RelayPassword("Office relay")));
    }

    [Fact]
    public void No_secret_stays_none()
    {
        Assert.Null(_protector.Protect(null));
        Assert.Null(_protector.Protect(""));
        Assert.Null(_protector.Unprotect(null, StoredSecret.MailboxPassword("Support")));
        Assert.Null(_protector.Unprotect("", StoredSecret.MailboxPassword("Support")));
    }

    [Fact]
    public void A_relay_password_that_cannot_be_decrypted_names_the_outgoing_server()
    {
        var e = Assert.Throws<InvalidOperationException>(() => OtherKeys.Unprotect(_protector.Protect("x"), StoredSecret.RelayPassword("Office relay")));
        Assert.Equal("The stored password of the outgoing server \"Office relay\" cannot be decrypted (the data-protection keys changed). " +
            "Enter the password again in Settings.", e.Message);
    }

    [Fact]
    public void A_mailbox_password_that_cannot_be_decrypted_names_the_mailbox()
    {
        var e = Assert.Throws<InvalidOperationException>(() => OtherKeys.Unprotect(_protector.Protect("x"), StoredSecret.MailboxPassword("Support")));
        Assert.Equal("The stored password of the mailbox \"Support\" cannot be decrypted (the data-protection keys changed). " +
            "Enter the password again on the Mailboxes page (Inbound).", e.Message);
    }

    [Fact]
    public void A_dkim_key_that_cannot_be_decrypted_names_the_selector_and_domain()
    {
        var e = Assert.Throws<InvalidOperationException>(() => OtherKeys.Unprotect(_protector.Protect("x"), StoredSecret.DkimKey("shop.example", "parley2026")));
        Assert.Equal("The stored DKIM key \"parley2026\" of shop.example cannot be decrypted (the data-protection keys changed). " +
            "Rotate the domain's DKIM keys on the Domains page, then publish the new records.", e.Message);
    }
}
