using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Aliases;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Inbound;
using Parley.Core.Records;
using Parley.Core.Settings;
using Parley.Core.Tests.Fixtures;

namespace Parley.Core.Tests.Inbound;

/// <summary>The alias domain's address space: what exists on it, asked the same way at RCPT time and while routing.</summary>
public sealed class AliasDomainAddressesTests() : DatabaseTest(SqliteDatabaseFactory.Instance)
{
    private const string Domain = "mail.parley.test";

    private async Task<AliasDomainAddresses> ReadAsync()
    {
        await using var scope = Env.Scope();
        var services = scope.ServiceProvider;
        return await AliasDomainAddresses.ReadAsync(services.GetRequiredService<ParleyDbContext>(), services.GetRequiredService<SettingsService>(),
            services.GetRequiredService<ReplyAddressProvider>(), default);
    }

    [Fact]
    public async Task Without_an_alias_domain_no_address_is_on_it()
    {
        var addresses = await ReadAsync();

        Assert.Null(addresses.Domain);
        Assert.Null(addresses.LocalPartOf("postmaster@" + Domain));
        Assert.False(addresses.Knows("postmaster@" + Domain));
    }

    [Theory]
    [InlineData("Support@MAIL.Parley.Test", "support")]
    [InlineData(" support@mail.parley.test ", "support")]
    [InlineData("support@mail.parley.test.", "support")] // a fully qualified domain is the same domain
    [InlineData("support@elsewhere.test", null)]
    [InlineData("support@sub.mail.parley.test", null)]
    [InlineData("@mail.parley.test", null)]
    [InlineData("support", null)]
    public async Task The_local_part_is_that_of_an_address_on_the_alias_domain_only(string address, string? expected)
    {
        await Env.SetAliasDomainAsync(Domain);

        Assert.Equal(expected, (await ReadAsync()).LocalPartOf(address));
    }

    [Fact]
    public async Task Parleys_own_local_parts_aliases_and_signed_addresses_are_known_and_forgeries_are_not()
    {
        await Env.SetAliasDomainAsync(Domain);
        await Env.With<AliasService, MailAlias>(s => s.CreateAsync("sales", null, AliasContactPolicy.Everyone, default));
        var tokens = Env.Services.GetRequiredService<ReplyAddressProvider>();
        var reply = await tokens.ForAsync(new RecordRef(RecordDirectory.ContactType, 42), Domain, default);
        var bounce = (await tokens.GetBounceAsync(default)).For(1234, Domain);

        var addresses = await ReadAsync();

        foreach (var known in new[] { "postmaster@" + Domain, "abuse@" + Domain, "notifications@" + Domain, "Sales@" + Domain, reply, bounce })
        {
            Assert.True(addresses.Knows(known), known);
        }

        foreach (var unknown in new[] { "nobody@" + Domain, "sales@elsewhere.test", reply.Replace("-42-", "-43-"), bounce.Replace("+1234-", "+1235-") })
        {
            Assert.False(addresses.Knows(unknown), unknown);
        }

        Assert.Equal(new RecordRef(RecordDirectory.ContactType, 42), addresses.ThreadOf(reply));
        Assert.Equal(1234, addresses.BouncedOutboxItemOf(bounce));
        Assert.Equal(reply, addresses.ReplyAddressFor(new RecordRef(RecordDirectory.ContactType, 42)));
        Assert.Equal("sales", addresses.AliasOf("sales")?.LocalPart);
    }

    [Theory]
    [InlineData("reply", true)]
    [InlineData("bounce", true)]
    [InlineData("notifications", true)]
    [InlineData("postmaster", true)]
    [InlineData("mailer-daemon", true)]
    [InlineData("sales+eu", true)]
    [InlineData("abuse", false)]
    [InlineData("support", false)]
    public void Parleys_own_local_parts_are_reserved_from_aliases(string localPart, bool reserved) =>
        Assert.Equal(reserved, AliasDomainAddresses.IsReserved(localPart));
}
