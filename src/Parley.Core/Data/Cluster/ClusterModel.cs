using Microsoft.EntityFrameworkCore;

namespace Parley.Core.Data.Cluster;

/// <summary>The cluster's tables: a lease row per periodic job, a heartbeat row per node.</summary>
internal static class ClusterModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<ClusterLease>(e =>
        {
            e.ToTable("ClusterLeases");
            e.HasKey(l => l.Job);
            e.Property(l => l.Job).HasMaxLength(100);
            e.Property(l => l.Holder).HasMaxLength(100);
        });
        b.Entity<ClusterNode>(e =>
        {
            e.ToTable("ClusterNodes");
            e.HasKey(n => n.Id);
            e.Property(n => n.Id).HasMaxLength(100);
            e.Property(n => n.HostName).HasMaxLength(255);
            e.Property(n => n.HttpEndpoints).HasMaxLength(1000);
            e.Property(n => n.SmtpEndpoint).HasMaxLength(300);
            e.Property(n => n.Version).HasMaxLength(100);
        });
    }
}
