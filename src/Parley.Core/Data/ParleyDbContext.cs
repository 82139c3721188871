using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Identity;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Settings;
using Parley.Core.Templates;

namespace Parley.Core.Data;

/// <summary>
/// The one EF Core model for both providers. Migrations live per provider in
/// Parley.Data.Sqlite and Parley.Data.Postgres; keep the model provider-neutral.
/// </summary>
public sealed class ParleyDbContext(DbContextOptions<ParleyDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>
    /// The embedded single-process database (one writer, no other nodes), as opposed to PostgreSQL shared by nodes.
    /// Read from the provider's name, so Core needs no provider package; once per context (contexts are pooled, and
    /// the name is a service look-up that the busy write paths would otherwise pay on every call).
    /// </summary>
    public bool IsSqlite => _isSqlite ??= Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    private bool? _isSqlite;

    public DbSet<User> Users => Set<User>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<DeletedContact> DeletedContacts => Set<DeletedContact>();
    public DbSet<ChatterMessage> Messages => Set<ChatterMessage>();
    public DbSet<RawMime> RawMimes => Set<RawMime>();
    public DbSet<MailTemplate> Templates => Set<MailTemplate>();
    public DbSet<OutgoingServer> OutgoingServers => Set<OutgoingServer>();
    public DbSet<OutboxItem> Outbox => Set<OutboxItem>();
    public DbSet<InboundMessage> Inbound => Set<InboundMessage>();
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<Domains.SendingDomain> SendingDomains => Set<Domains.SendingDomain>();
    public DbSet<Domains.DkimKey> DkimKeys => Set<Domains.DkimKey>();
    public DbSet<Doctor.DoctorRun> DoctorRuns => Set<Doctor.DoctorRun>();
    public DbSet<Suppression.SuppressedAddress> Suppressions => Set<Suppression.SuppressedAddress>();
    public DbSet<Suppression.BounceCounter> BounceCounters => Set<Suppression.BounceCounter>();
    public DbSet<Aliases.MailAlias> Aliases => Set<Aliases.MailAlias>();
    public DbSet<Followers.Follower> Followers => Set<Followers.Follower>();
    public DbSet<Attachments.MessageAttachment> Attachments => Set<Attachments.MessageAttachment>();
    public DbSet<ReceivedHtml> ReceivedHtml => Set<ReceivedHtml>();
    public DbSet<Fetch.FetchAccount> FetchAccounts => Set<Fetch.FetchAccount>();
    public DbSet<Fetch.FetchFailure> FetchFailures => Set<Fetch.FetchFailure>();
    public DbSet<Reports.ReceivedReport> Reports => Set<Reports.ReceivedReport>();
    public DbSet<RecordType> RecordTypes => Set<RecordType>();
    public DbSet<BusinessRecord> Records => Set<BusinessRecord>();
    public DbSet<RecordValue> RecordValues => Set<RecordValue>();
    public DbSet<Mailings.Mailing> Mailings => Set<Mailings.Mailing>();
    public DbSet<Mailings.MailingRecipient> MailingRecipients => Set<Mailings.MailingRecipient>();
    public DbSet<TemplateTranslation> TemplateTranslations => Set<TemplateTranslation>();
    public DbSet<TemplateAttachment> TemplateAttachments => Set<TemplateAttachment>();
    public DbSet<Cluster.ClusterLease> ClusterLeases => Set<Cluster.ClusterLease>();
    public DbSet<Cluster.ClusterNode> ClusterNodes => Set<Cluster.ClusterNode>();

    /// <summary>The Data Protection key ring of a PostgreSQL cluster, shared by every node (ADR 0025); unused on SQLite.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<User>(e =>
        {
            e.HasIndex(u => u.Email).IsUnique();
            e.Property(u => u.Email).HasMaxLength(254);
            e.Property(u => u.Name).HasMaxLength(200);
            e.Property(u => u.SecurityStamp).HasMaxLength(64);
            e.Property(u => u.TimeZone).HasMaxLength(64);
        });
        b.Entity<ApiToken>(e =>
        {
            e.HasIndex(t => t.SecretHash).IsUnique();
            e.Property(t => t.Name).HasMaxLength(200);
            e.Property(t => t.Prefix).HasMaxLength(32);
            e.Property(t => t.SecretHash).HasMaxLength(64);
            // Tokens made before scopes existed act fully as their user, as they always did.
            e.Property(t => t.Scope).HasConversion<string>().HasMaxLength(16).HasDefaultValue(ApiTokenScope.Full);
        });
        b.Entity<Contact>(e =>
        {
            e.HasIndex(c => c.Email).IsUnique();
            e.HasIndex(c => c.Name);
            e.Property(c => c.Name).HasMaxLength(200);
            e.Property(c => c.Email).HasMaxLength(254);
            e.Property(c => c.Company).HasMaxLength(200);
            e.Property(c => c.Phone).HasMaxLength(64);
            e.Property(c => c.Tags).HasMaxLength(1000);
            e.Property(c => c.Language).HasMaxLength(16);
            // The list sorts and pages on these (ADR 0026's neighbour: numbers as numbers, Common/NaturalSortKey.cs).
            e.HasIndex(c => c.NameSortKey);
            e.HasIndex(c => c.EmailSortKey);
            e.Property(c => c.NameSortKey).HasMaxLength(NaturalSortKey.MaxLength);
            e.Property(c => c.EmailSortKey).HasMaxLength(NaturalSortKey.MaxLength);
            if (!IsSqlite)
            {
                // Byte order, as SQLite compares: a language collation would skip the spaces and punctuation of the keys.
                e.Property(c => c.NameSortKey).UseCollation("C");
                e.Property(c => c.EmailSortKey).UseCollation("C");
            }
        });
        b.Entity<DeletedContact>(e =>
        {
            // The contact's own id, kept: her timeline is still filed under it.
            e.Property(d => d.Id).ValueGeneratedNever();
            e.Property(d => d.Name).HasMaxLength(200);
            e.Property(d => d.Email).HasMaxLength(254);
            e.Property(d => d.DeletedByName).HasMaxLength(200);
        });
        b.Entity<ChatterMessage>(e =>
        {
            e.HasIndex(m => new { m.RecordType, m.RecordId, m.Id });
            e.HasIndex(m => m.MessageId);
            e.Property(m => m.RecordType).HasMaxLength(64);
            e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(m => m.Direction).HasConversion<string>().HasMaxLength(8);
            e.Property(m => m.State).HasConversion<string>().HasMaxLength(16);
            e.Property(m => m.MessageId).HasMaxLength(998);
            e.Property(m => m.InReplyTo).HasMaxLength(998);
            e.Property(m => m.Route).HasMaxLength(1000);
            e.Property(m => m.AuthenticationResults).HasMaxLength(2000);
        });
        b.Entity<MailTemplate>(e =>
        {
            e.Property(t => t.Name).HasMaxLength(200);
            e.Property(t => t.RecordType).HasMaxLength(64);
            e.Property(t => t.FromName).HasMaxLength(200);
            e.Property(t => t.FromAddress).HasMaxLength(254);
        });
        b.Entity<OutgoingServer>(e =>
        {
            e.Property(s => s.Security).HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.Name).HasMaxLength(200);
            e.Property(s => s.Host).HasMaxLength(253);
            e.Property(s => s.FromFilter).HasMaxLength(2000);
            e.Property(s => s.SpfInclude).HasMaxLength(253);
        });
        b.Entity<OutboxItem>(e =>
        {
            e.HasIndex(o => new { o.State, o.NextAttemptAt });
            e.HasIndex(o => o.ChatterMessageId);
            // Bounces without VERP find the email by its recipient: after a mailing, a scan per bounce would add up.
            e.HasIndex(o => o.Recipient);
            e.Property(o => o.State).HasConversion<string>().HasMaxLength(16);
            e.Property(o => o.Recipient).HasMaxLength(254);
            e.Property(o => o.LeaseOwner).HasMaxLength(64);
            e.Property(o => o.Route).HasMaxLength(1000);
            // A mailing's progress, its cancel and its end are all questions about its rows.
            e.HasIndex(o => new { o.MailingId, o.State });
        });
        b.Entity<Mailings.Mailing>(e =>
        {
            e.HasIndex(m => new { m.State, m.ScheduledAt });
            e.Property(m => m.Name).HasMaxLength(200);
            e.Property(m => m.RecordType).HasMaxLength(64);
            e.Property(m => m.Tag).HasMaxLength(200);
            e.Property(m => m.Filter).HasMaxLength(Parley.Core.Mailings.Filters.MailingFilter.MaxLength);
            e.Property(m => m.State).HasConversion<string>().HasMaxLength(16);
            e.Property(m => m.PublicBaseUrl).HasMaxLength(500);
            e.Property(m => m.QueueLeaseOwner).HasMaxLength(64);
            e.Property(m => m.Note).HasMaxLength(2000);
        });
        b.Entity<Mailings.MailingRecipient>(e =>
        {
            // One row per record and mailing: a second node (or a resumed queuing) cannot mail anyone twice.
            e.HasIndex(r => new { r.MailingId, r.RecordType, r.RecordId }).IsUnique();
            e.HasIndex(r => r.ChatterMessageId);
            e.HasIndex(r => r.OutboxItemId);
            e.HasOne<Mailings.Mailing>().WithMany().HasForeignKey(r => r.MailingId).OnDelete(DeleteBehavior.Cascade);
            e.Property(r => r.RecordType).HasMaxLength(64);
            e.Property(r => r.Address).HasMaxLength(254);
            e.Property(r => r.Language).HasMaxLength(16);
            e.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.Detail).HasMaxLength(1000);
        });
        b.Entity<TemplateAttachment>(e =>
        {
            e.HasIndex(a => new { a.TemplateId, a.FileName }).IsUnique();
            e.HasOne<MailTemplate>().WithMany().HasForeignKey(a => a.TemplateId).OnDelete(DeleteBehavior.Cascade);
            e.Property(a => a.FileName).HasMaxLength(255);
            e.Property(a => a.ContentType).HasMaxLength(255);
        });
        b.Entity<TemplateTranslation>(e =>
        {
            e.HasIndex(t => new { t.TemplateId, t.Language }).IsUnique();
            e.HasOne<MailTemplate>().WithMany().HasForeignKey(t => t.TemplateId).OnDelete(DeleteBehavior.Cascade);
            e.Property(t => t.Language).HasMaxLength(16);
        });
        b.Entity<InboundMessage>(e =>
        {
            e.HasIndex(i => new { i.Status, i.Id });
            e.HasIndex(i => i.MessageId);
            e.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(i => i.Source).HasMaxLength(16);
            e.Property(i => i.AuthenticationResults).HasMaxLength(2000);
            e.Property(i => i.MessageId).HasMaxLength(998);
            e.Property(i => i.Sender).HasMaxLength(254);
            e.Property(i => i.Route).HasMaxLength(1000);
            e.Property(i => i.RemoteId).HasMaxLength(200);
            e.HasIndex(i => new { i.Sender, i.ReceivedAt });
            e.HasIndex(i => new { i.FetchAccountId, i.RemoteId }).IsUnique();
        });
        b.Entity<Suppression.SuppressedAddress>(e =>
        {
            e.HasIndex(s => s.Address).IsUnique();
            e.Property(s => s.Address).HasMaxLength(254);
            e.Property(s => s.Reason).HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.Detail).HasMaxLength(2000);
        });
        b.Entity<Suppression.BounceCounter>(e =>
        {
            e.HasKey(c => c.Address);
            e.Property(c => c.Address).HasMaxLength(254);
            e.Property(c => c.LastStatus).HasMaxLength(16);
            e.Property(c => c.LastDiagnostic).HasMaxLength(2000);
        });
        b.Entity<Aliases.MailAlias>(e =>
        {
            e.HasIndex(a => a.LocalPart).IsUnique();
            e.Property(a => a.LocalPart).HasMaxLength(64);
            e.Property(a => a.RecordType).HasMaxLength(64);
            e.Property(a => a.ContactPolicy).HasConversion<string>().HasMaxLength(16);
        });
        b.Entity<Followers.Follower>(e =>
        {
            e.HasIndex(f => new { f.RecordType, f.RecordId, f.Email }).IsUnique();
            e.HasIndex(f => f.Email);
            e.Property(f => f.RecordType).HasMaxLength(64);
            e.Property(f => f.Name).HasMaxLength(200);
            e.Property(f => f.Email).HasMaxLength(254);
        });
        b.Entity<ReceivedHtml>(e =>
        {
            e.HasKey(r => r.ChatterMessageId);
            e.HasOne(r => r.Message).WithOne().HasForeignKey<ReceivedHtml>(r => r.ChatterMessageId).OnDelete(DeleteBehavior.Cascade);
            e.Property(r => r.WithheldBecause).HasMaxLength(500);
        });
        b.Entity<Attachments.MessageAttachment>(e =>
        {
            e.HasIndex(a => a.ChatterMessageId);
            e.Property(a => a.FileName).HasMaxLength(255);
            e.Property(a => a.ContentType).HasMaxLength(255);
            e.Property(a => a.ContentId).HasMaxLength(998);
        });
        b.Entity<Fetch.FetchAccount>(e =>
        {
            e.Property(f => f.Name).HasMaxLength(200);
            e.Property(f => f.Host).HasMaxLength(253);
            e.Property(f => f.Username).HasMaxLength(254);
            e.Property(f => f.Folder).HasMaxLength(200);
            e.Property(f => f.Protocol).HasConversion<string>().HasMaxLength(8);
            e.Property(f => f.Security).HasConversion<string>().HasMaxLength(16);
            e.Property(f => f.LastError).HasMaxLength(2000);
            e.Property(f => f.AfterFetch).HasConversion<string>().HasMaxLength(16);
            e.Property(f => f.MoveToFolder).HasMaxLength(200);
        });
        b.Entity<Fetch.FetchFailure>(e =>
        {
            e.HasIndex(f => new { f.FetchAccountId, f.RemoteId }).IsUnique();
            e.Property(f => f.RemoteId).HasMaxLength(200);
            e.Property(f => f.Subject).HasMaxLength(500);
            e.Property(f => f.Error).HasMaxLength(2000);
            e.HasOne<Fetch.FetchAccount>().WithMany().HasForeignKey(f => f.FetchAccountId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Domains.SendingDomain>(e =>
        {
            e.HasIndex(d => d.Name).IsUnique();
            e.Property(d => d.Name).HasMaxLength(253);
            e.HasMany(d => d.Keys).WithOne().HasForeignKey(k => k.SendingDomainId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Domains.DkimKey>(e =>
        {
            e.Property(k => k.Selector).HasMaxLength(63);
            e.Property(k => k.Algorithm).HasConversion<string>().HasMaxLength(16);
            e.Ignore(k => k.IsActive);
            e.Ignore(k => k.RecordValue);
        });
        b.Entity<Doctor.DoctorRun>(e =>
        {
            e.HasIndex(r => new { r.SendingDomainId, r.Id });
            e.HasOne<Domains.SendingDomain>().WithMany().HasForeignKey(r => r.SendingDomainId).OnDelete(DeleteBehavior.Cascade);
        });
        RecordModel.Configure(b);
        b.Entity<Setting>(e =>
        {
            e.HasKey(s => s.Key);
            e.Property(s => s.Key).HasMaxLength(100);
        });
        global::Parley.Core.Reports.ReportsModel.Configure(b);
        SpamTest.SpamTestModel.Configure(b);
        Cluster.ClusterModel.Configure(b);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite cannot order or compare DateTimeOffset natively; storing UTC ticks keeps
        // "due now" queries in SQL on both providers.
        builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}
