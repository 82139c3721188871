using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Records;
using Parley.Core.Settings;

namespace Parley.Core.SpamTest;

/// <summary>A test as the API and pages show it: its address, state, the latest report and the messages before it.</summary>
public sealed record SpamTestView(SpamTestAddress Test, string Address, string Status, SpamTestMessage? Latest, SpamReport? Report, IReadOnlyList<SpamTestMessage> Messages)
{
    public const string Waiting = "waiting", Done = "done", Expired = "expired";
}

/// <summary>Creates test addresses on the alias domain and reads tests back (one, or the history newest first).</summary>
public sealed class SpamTestService(ParleyDbContext db, SettingsService settings, TimeProvider clock, IOptions<SpamTestOptions> options)
{
    public async Task<SpamTestView> CreateAsync(long? userId, long? templateId, RecordRef? record, CancellationToken cancellationToken)
    {
        var domain = await settings.GetAliasDomainAsync(cancellationToken)
            ?? throw new InvalidInputException("aliasDomain", "Set the alias domain first (Settings): test addresses live on it, and its MX must point at this server.");
        var now = clock.GetUtcNow();
        var test = new SpamTestAddress
        {
            Token = SpamTestAddress.NewToken(),
            CreatedAt = now,
            ExpiresAt = now + options.Value.Lifetime,
            CreatedByUserId = userId,
            TemplateId = templateId,
            RecordType = record?.Type,
            RecordId = record?.Id,
        };
        db.Set<SpamTestAddress>().Add(test);
        await db.SaveChangesAsync(cancellationToken);
        return new SpamTestView(test, test.LocalPart + "@" + domain, SpamTestView.Waiting, null, null, []);
    }

    /// <summary>The test with this token; an unknown one, or one past its expiry, is not found.</summary>
    public async Task<SpamTestView> GetAsync(string token, CancellationToken cancellationToken)
    {
        var test = await db.Set<SpamTestAddress>().AsNoTracking().FirstOrDefaultAsync(t => t.Token == token, cancellationToken);
        if (test is null || test.ExpiresAt <= clock.GetUtcNow())
        {
            throw new NotFoundException($"Spam test {token}");
        }

        var messages = await db.Set<SpamTestMessage>().AsNoTracking().Where(m => m.SpamTestAddressId == test.Id).OrderByDescending(m => m.Id).Take(50).ToListAsync(cancellationToken);
        var latest = messages.FirstOrDefault();
        var report = SpamReportJson.Deserialize(latest?.ReportJson);
        return new SpamTestView(test, await AddressAsync(test, cancellationToken), report is null ? SpamTestView.Waiting : SpamTestView.Done, latest, report, messages);
    }

    /// <summary>Past tests, newest first, with their latest score (expired ones too: history keeps them).</summary>
    public async Task<IReadOnlyList<SpamTestView>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var tests = await db.Set<SpamTestAddress>().AsNoTracking().OrderByDescending(t => t.Id).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
        var domain = await settings.GetAliasDomainAsync(cancellationToken) ?? "";
        var now = clock.GetUtcNow();
        return tests.Select(t => new SpamTestView(t, t.LocalPart + "@" + domain,
            t.ExpiresAt <= now ? SpamTestView.Expired : t.LastScore is null ? SpamTestView.Waiting : SpamTestView.Done, null, null, [])).ToList();
    }

    /// <summary>The raw message as received (the latest, or one of the test's messages by id).</summary>
    public async Task<byte[]> RawAsync(string token, long? messageId, CancellationToken cancellationToken)
    {
        var view = await GetAsync(token, cancellationToken);
        var message = messageId is null ? view.Latest : view.Messages.FirstOrDefault(m => m.Id == messageId);
        if (message is null)
        {
            throw new NotFoundException(messageId is null ? $"A message for spam test {token}" : $"Message {messageId} of spam test {token}");
        }

        return await db.Inbound.AsNoTracking().Where(i => i.Id == message.InboundMessageId).Select(i => i.RawMime!.Content).FirstAsync(cancellationToken);
    }

    private async Task<string> AddressAsync(SpamTestAddress test, CancellationToken cancellationToken) => test.LocalPart + "@" + (await settings.GetAliasDomainAsync(cancellationToken) ?? "");
}
