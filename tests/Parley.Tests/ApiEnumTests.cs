using System.Net;
using System.Net.Http.Json;
using Parley.Api;
using Parley.Core.Aliases;
using Parley.Core.Chatter;
using Parley.Core.Domains;
using Parley.Core.Fetch;
using Parley.Core.Identity;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Core.Suppression;
using Parley.Smtp.Delivery;
using Parley.Tests.Fixtures;

namespace Parley.Tests;

/// <summary>
/// Enum values on the wire: one converter spells them (camelCase, or the member's own wire name), bodies and queries
/// read them in any letter case, and an unknown value is a 400 naming the field and the values it takes.
/// </summary>
public sealed class ApiEnumTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly HttpClient _api = fixture.Host.Client(fixture.Token);

    /// <summary>Every value as the API spelled it by hand before the converter: clients depend on these.</summary>
    public static TheoryData<Enum, string> Spellings() => new()
    {
        { InboundStatus.Pending, "pending" }, { InboundStatus.Routed, "routed" }, { InboundStatus.Unrouted, "unrouted" },
        { InboundStatus.Failed, "failed" }, { InboundStatus.Bounce, "bounce" }, { InboundStatus.Duplicate, "duplicate" },
        { InboundStatus.LoopLimited, "loopLimited" },
        { MessageKind.Email, "email" }, { MessageKind.Note, "note" }, { MessageKind.Event, "event" },
        { MessageDirection.Out, "out" }, { MessageDirection.In, "in" },
        { DeliveryState.Queued, "queued" }, { DeliveryState.Sent, "sent" }, { DeliveryState.Deferred, "deferred" },
        { DeliveryState.Failed, "failed" }, { DeliveryState.Bounced, "bounced" }, { DeliveryState.Received, "received" },
        { SmtpSecurity.None, "none" }, { SmtpSecurity.StartTls, "starttls" }, { SmtpSecurity.Tls, "tls" },
        { FetchSecurity.None, "none" }, { FetchSecurity.StartTls, "starttls" }, { FetchSecurity.Tls, "tls" },
        { FetchProtocol.Imap, "imap" }, { FetchProtocol.Pop3, "pop3" },
        { FetchAfterAction.MarkSeen, "markSeen" }, { FetchAfterAction.Move, "move" }, { FetchAfterAction.Delete, "delete" }, { FetchAfterAction.Keep, "keep" },
        { SuppressionReason.HardBounce, "hardBounce" }, { SuppressionReason.Manual, "manual" }, { SuppressionReason.Complaint, "complaint" },
        { SuppressionReason.Unsubscribe, "unsubscribe" },
        { ApiTokenScope.Full, "full" }, { ApiTokenScope.Read, "read" }, { ApiTokenScope.Mailgate, "mailgate" },
        { CatchallPolicy.KeepUnrouted, "keepUnrouted" }, { CatchallPolicy.ContactThread, "contactThread" }, { CatchallPolicy.Reject, "reject" },
        { SenderVerification.DmarcPolicy, "dmarcPolicy" }, { SenderVerification.RequireDmarcPass, "requireDmarcPass" }, { SenderVerification.Off, "off" },
        { AliasContactPolicy.Everyone, "everyone" }, { AliasContactPolicy.KnownContacts, "knownContacts" }, { AliasContactPolicy.Followers, "followers" },
        { DkimAlgorithm.RsaSha256, "rsa-sha256" }, { DkimAlgorithm.Ed25519Sha256, "ed25519-sha256" },
        { Parley.Core.Mailings.MailingState.Draft, "draft" }, { Parley.Core.Mailings.MailingState.Scheduled, "scheduled" },
        { Parley.Core.Mailings.MailingState.Sending, "sending" }, { Parley.Core.Mailings.MailingState.Sent, "sent" },
        { Parley.Core.Mailings.MailingState.Cancelled, "cancelled" }, { Parley.Core.Mailings.MailingState.Paused, "paused" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Each_value_keeps_its_wire_spelling_and_reads_back(Enum value, string spelling)
    {
        var name = typeof(ApiEnums).GetMethod(nameof(ApiEnums.Name))!.MakeGenericMethod(value.GetType()).Invoke(null, [value]);
        Assert.Equal(spelling, name);
        var arguments = new object?[] { spelling, null };
        Assert.True((bool)typeof(ApiEnums).GetMethod(nameof(ApiEnums.TryParse))!.MakeGenericMethod(value.GetType()).Invoke(null, arguments)!);
        Assert.Equal(value, arguments[1]);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("loop-limited")]
    [InlineData("")]
    public void Numbers_and_other_spellings_are_not_values(string text) =>
        Assert.False(ApiEnums.TryParse<InboundStatus>(text, out _));

    [Fact]
    public async Task Settings_read_back_in_the_spelling_they_were_written_in_any_letter_case()
    {
        var saved = await Json.ReadAsync(await _api.PutAsJsonAsync("/api/v1/inbound/settings",
            new { catchall = "CONTACTTHREAD", senderVerification = "requiredmarcpass" }), HttpStatusCode.OK);
        Assert.Equal("contactThread", saved.GetProperty("catchall").GetString());
        Assert.Equal("requireDmarcPass", saved.GetProperty("senderVerification").GetString());

        var read = await Json.ReadAsync(await _api.GetAsync("/api/v1/inbound/settings"), HttpStatusCode.OK);
        Assert.Equal("contactThread", read.GetProperty("catchall").GetString());

        // Omitted fields keep their value.
        var kept = await Json.ReadAsync(await _api.PutAsJsonAsync("/api/v1/inbound/settings", new { loopLimit = 7 }), HttpStatusCode.OK);
        Assert.Equal("contactThread", kept.GetProperty("catchall").GetString());
        Assert.Equal("requireDmarcPass", kept.GetProperty("senderVerification").GetString());
        await _api.PutAsJsonAsync("/api/v1/inbound/settings", new { catchall = "keepUnrouted", senderVerification = "dmarcPolicy" });
    }

    [Theory]
    [InlineData("catchall", "nowhere", "catchall must be keepUnrouted, contactThread or reject.")]
    [InlineData("catchall", 2, "catchall must be keepUnrouted, contactThread or reject.")]
    [InlineData("senderVerification", "strict", "senderVerification must be dmarcPolicy, requireDmarcPass or off.")]
    public async Task An_unknown_setting_is_a_400_naming_the_field_and_its_values(string field, object value, string expected)
    {
        var response = await _api.PutAsJsonAsync("/api/v1/inbound/settings", new Dictionary<string, object> { [field] = value });
        Assert.Equal(expected, await Json.AssertValidationProblemAsync(response, field));
    }

    [Fact]
    public async Task An_alias_policy_is_read_and_written_by_name_and_an_unknown_one_refused()
    {
        await fixture.Host.SetAliasDomainAsync("replies.parley.test");
        var created = await Json.ReadAsync(await _api.Post("/api/v1/inbound/aliases",
            new { localPart = "sales-" + Guid.NewGuid().ToString("N")[..6], recordType = "contact", contactPolicy = "KnownContacts" }), HttpStatusCode.Created);
        Assert.Equal("knownContacts", created.GetProperty("contactPolicy").GetString());

        var refused = await _api.Post("/api/v1/inbound/aliases", new { localPart = "x", recordType = "contact", contactPolicy = "strangers" });
        Assert.Equal("contactPolicy must be everyone, knownContacts or followers.", await Json.AssertValidationProblemAsync(refused, "contactPolicy"));
    }

    [Theory]
    [InlineData("fax")]
    [InlineData("event")]
    public async Task Only_emails_and_notes_can_be_posted(string kind)
    {
        var contact = await Json.ReadAsync(await _api.Post("/api/v1/contacts", new { name = "Ana", email = $"ana-{Guid.NewGuid():N}"[..16] + "@customer.test" }), HttpStatusCode.Created);
        var response = await _api.Post($"/api/v1/records/contact/{contact.GetProperty("id").GetInt64()}/messages", new { kind, body = "x" });
        Assert.Equal("kind must be email or note.", await Json.AssertValidationProblemAsync(response, "kind"));
    }

    [Theory]
    [InlineData("/api/v1/inbound?status=LOOPLIMITED", HttpStatusCode.OK)]
    [InlineData("/api/v1/outbox?state=Deferred", HttpStatusCode.OK)]
    public async Task A_query_value_is_read_in_any_letter_case(string path, HttpStatusCode expected) =>
        await Json.ReadAsync(await _api.GetAsync(path), expected);

    [Theory]
    [InlineData("/api/v1/inbound?status=lost", "status", "status must be pending, routed, unrouted, failed, bounce, duplicate or loopLimited.")]
    [InlineData("/api/v1/outbox?state=1", "state", "state must be queued, sent, deferred, failed, bounced or received.")]
    public async Task An_unknown_query_value_is_a_400_naming_it_and_its_values(string path, string field, string expected) =>
        Assert.Equal(expected, await Json.AssertValidationProblemAsync(await _api.GetAsync(path), field));

    [Fact]
    public async Task Outbox_counts_are_keyed_by_state_name()
    {
        var stats = await Json.ReadAsync(await _api.GetAsync("/api/v1/outbox/stats"), HttpStatusCode.OK);
        Assert.Equal(["bounced", "deferred", "failed", "queued", "sent"], stats.Names());
    }
}
