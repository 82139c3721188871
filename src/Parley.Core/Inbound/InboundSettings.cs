using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Settings;

namespace Parley.Core.Inbound;

/// <summary>What happens to mail for an address on the alias domain that no alias, reply or bounce address matches.</summary>
public enum CatchallPolicy
{
    /// <summary>Keep it in the unrouted list for an admin to assign (the default).</summary>
    KeepUnrouted,
    /// <summary>Post it to the sender's contact thread, creating the contact when needed.</summary>
    ContactThread,
    /// <summary>Refuse unknown addresses at RCPT time (550 5.1.1), so the sender learns at once.</summary>
    Reject,
}

/// <summary>
/// Run-time inbound rules an admin changes in the UI or API. <see cref="LoopLimit"/> messages from one
/// sender within <see cref="LoopWindowMinutes"/> stop record creation and posting (Odoo's loop
/// threshold); 0 turns the protection off. <see cref="SenderVerification"/> says how much a header From must be
/// proven before it picks a contact.
/// </summary>
public sealed record InboundSettings(
    CatchallPolicy Catchall = CatchallPolicy.KeepUnrouted,
    int HardBounceThreshold = 1,
    int LoopLimit = 20,
    int LoopWindowMinutes = 120,
    SenderVerification SenderVerification = SenderVerification.DmarcPolicy)
{
    public static InboundSettings Default { get; } = new();
}

/// <summary>Reads and writes <see cref="InboundSettings"/> as one JSON setting.</summary>
public sealed class InboundSettingsService(ParleyDbContext db)
{
    public const string Key = "inbound";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public async Task<InboundSettings> GetAsync(CancellationToken cancellationToken)
    {
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == Key, cancellationToken);
        if (row is null)
        {
            return InboundSettings.Default;
        }

        try { return JsonSerializer.Deserialize<InboundSettings>(row.Value, Json) ?? InboundSettings.Default; }
        catch (JsonException) { return InboundSettings.Default; }
    }

    public async Task<InboundSettings> SetAsync(InboundSettings value, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.IsDefined(value.Catchall))
        {
            errors["catchall"] = ["Choose keepUnrouted, contactThread or reject."];
        }

        if (value.HardBounceThreshold is < 1 or > 100)
        {
            errors["hardBounceThreshold"] = ["Use a number of hard bounces from 1 to 100."];
        }

        if (value.LoopLimit is < 0 or > 1_000_000)
        {
            errors["loopLimit"] = ["Use 0 (off) or a number of messages up to 1,000,000."];
        }

        if (!Enum.IsDefined(value.SenderVerification))
        {
            errors["senderVerification"] = ["Choose dmarcPolicy, requireDmarcPass or off."];
        }

        if (value.LoopWindowMinutes is < 1 or > 7 * 24 * 60)
        {
            errors["loopWindowMinutes"] = ["Use a window from 1 minute to 7 days (10080 minutes)."];
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var text = JsonSerializer.Serialize(value, Json);
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == Key, cancellationToken);
        if (row is null)
        {
            db.Settings.Add(new Setting { Key = Key, Value = text });
        }
        else
        {
            row.Value = text;
        }

        await db.SaveChangesAsync(cancellationToken);
        return value;
    }
}
