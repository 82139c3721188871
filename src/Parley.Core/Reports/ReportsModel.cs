using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Core.Reports;

/// <summary>The reports' part of the EF model (called from ParleyDbContext.OnModelCreating).</summary>
internal static class ReportsModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<ReceivedReport>(e =>
        {
            // The same report twice (same reporter, same id) is stored once; refused documents have neither and are all kept.
            e.HasIndex(r => new { r.Kind, r.OrgName, r.ReportId }).IsUnique();
            e.HasIndex(r => new { r.Domain, r.ReceivedAt });
            e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.Channel).HasMaxLength(16);
            e.Property(r => r.Source).HasMaxLength(500);
            e.Property(r => r.OrgName).HasMaxLength(200);
            e.Property(r => r.ReportId).HasMaxLength(300);
            e.Property(r => r.Domain).HasMaxLength(253);
            e.Property(r => r.Policy).HasMaxLength(16);
            e.Property(r => r.Problem).HasMaxLength(2000);
            e.HasOne(r => r.RawMime).WithMany().HasForeignKey(r => r.RawMimeId).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<DmarcReportRow>(e =>
        {
            ConfigureRow(e);
            e.HasIndex(r => r.ReceivedReportId);
            e.Property(r => r.Reporter).HasMaxLength(200);
            e.Property(r => r.SourceIp).HasMaxLength(45);
            e.Property(r => r.Disposition).HasMaxLength(16);
            e.Property(r => r.DkimResult).HasMaxLength(16);
            e.Property(r => r.DkimSignatures).HasMaxLength(1000);
            e.Property(r => r.SpfResult).HasMaxLength(16);
            e.Property(r => r.SpfDomain).HasMaxLength(253);
            e.Property(r => r.HeaderFrom).HasMaxLength(253);
            e.Property(r => r.EnvelopeFrom).HasMaxLength(253);
            e.Property(r => r.Reasons).HasMaxLength(500);
        });
        b.Entity<TlsReportPolicyRow>(e =>
        {
            ConfigureRow(e);
            e.Property(r => r.Reporter).HasMaxLength(200);
            e.Property(r => r.PolicyType).HasMaxLength(32);
        });
        b.Entity<TlsReportFailureRow>(e =>
        {
            ConfigureRow(e);
            e.Property(r => r.ResultType).HasMaxLength(64);
            e.Property(r => r.ReceivingMx).HasMaxLength(253);
            e.Property(r => r.ReceivingIp).HasMaxLength(45);
            e.Property(r => r.SendingIp).HasMaxLength(45);
            e.Property(r => r.ReasonCode).HasMaxLength(500);
        });
    }

    /// <summary>A report row's own table: deleted with its report, and read by domain and day.</summary>
    private static void ConfigureRow<TRow>(EntityTypeBuilder<TRow> e) where TRow : ReportRow
    {
        e.HasIndex(r => new { r.Domain, r.Day });
        e.HasOne(r => r.Report).WithMany().HasForeignKey(r => r.ReceivedReportId).OnDelete(DeleteBehavior.Cascade);
        e.Property(r => r.Domain).HasMaxLength(253);
    }
}
