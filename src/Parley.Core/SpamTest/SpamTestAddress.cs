using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Core.SpamTest;

/// <summary>
/// A throw-away address on the alias domain, <c>test-&lt;token&gt;@alias-domain</c>: what arrives there before
/// <see cref="ExpiresAt"/> is kept for the test (<see cref="SpamTestMessage"/>) and scored, and never reaches a chatter.
/// The token is the test's public id (API, pages).
/// </summary>
public sealed class SpamTestAddress
{
    /// <summary>The local-part prefix every test address has; <see cref="Inbound.AliasDomainAddresses"/> keeps it from aliases.</summary>
    public const string LocalPrefix = "test-";

    public const int TokenLength = 12;

    public long Id { get; set; }
    public required string Token { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public long? CreatedByUserId { get; set; }

    /// <summary>For "Send a test": the template and record rendered, so history can be shown per template.</summary>
    public long? TemplateId { get; set; }
    public string? RecordType { get; set; }
    public long? RecordId { get; set; }

    /// <summary>The From domain of the latest message, for history per sending domain.</summary>
    public string? SendingDomain { get; set; }
    public double? LastScore { get; set; }
    public DateTimeOffset? LastReceivedAt { get; set; }

    public string LocalPart => LocalPrefix + Token;

    /// <summary>12 characters of a–z and 2–9 (60 bits): unguessable, and unambiguous to read aloud.</summary>
    public static string NewToken()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        return string.Create(TokenLength, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }

    /// <summary>The token of a (lower-case) local part that has the test form, or null.</summary>
    public static string? TokenOf(string localPart) =>
        localPart.StartsWith(LocalPrefix, StringComparison.Ordinal) && localPart.Length == LocalPrefix.Length + TokenLength ? localPart[LocalPrefix.Length..] : null;
}

/// <summary>One message received at a test address, and its report once scored (<see cref="ReportJson"/>, null while waiting).</summary>
public sealed class SpamTestMessage
{
    public long Id { get; set; }
    public long SpamTestAddressId { get; set; }
    public long InboundMessageId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string? FromAddress { get; set; }
    public string? Subject { get; set; }
    public DateTimeOffset? ScoredAt { get; set; }
    public double? Score { get; set; }
    public string? ReportJson { get; set; }
}

/// <summary>The spam test's tables, applied by <see cref="Data.ParleyDbContext"/>.</summary>
public static class SpamTestModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<SpamTestAddress>(Address);
        b.Entity<SpamTestMessage>(Message);
    }

    private static void Address(EntityTypeBuilder<SpamTestAddress> e)
    {
        e.HasIndex(t => t.Token).IsUnique();
        e.HasIndex(t => t.CreatedAt);
        e.Property(t => t.Token).HasMaxLength(SpamTestAddress.TokenLength);
        e.Property(t => t.RecordType).HasMaxLength(64);
        e.Property(t => t.SendingDomain).HasMaxLength(253);
        e.Ignore(t => t.LocalPart);
    }

    private static void Message(EntityTypeBuilder<SpamTestMessage> e)
    {
        e.HasIndex(m => new { m.SpamTestAddressId, m.Id });
        // The worker's queue: messages not scored yet.
        e.HasIndex(m => m.ScoredAt);
        e.Property(m => m.FromAddress).HasMaxLength(254);
        e.Property(m => m.Subject).HasMaxLength(500);
        e.HasOne<SpamTestAddress>().WithMany().HasForeignKey(m => m.SpamTestAddressId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Inbound.InboundMessage>().WithMany().HasForeignKey(m => m.InboundMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
