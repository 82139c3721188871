using Microsoft.EntityFrameworkCore;

namespace Parley.Core.Records;

/// <summary>The EF model of record types and records (tables RecordTypes, RecordFields, RecordStages, Records, RecordValues).</summary>
internal static class RecordModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<RecordType>(e =>
        {
            e.HasIndex(t => t.Key).IsUnique();
            e.Property(t => t.Key).HasMaxLength(40);
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.SingularLabel).HasMaxLength(100);
            e.Property(t => t.Prefix).HasMaxLength(10);
            e.Property(t => t.CustomerField).HasMaxLength(40);
            e.HasMany(t => t.Fields).WithOne().HasForeignKey(f => f.RecordTypeId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(t => t.Stages).WithOne().HasForeignKey(s => s.RecordTypeId).OnDelete(DeleteBehavior.Cascade);
            e.Ignore(t => t.ActiveFields);
            e.Ignore(t => t.OrderedStages);
            e.Ignore(t => t.TitleField);
        });
        b.Entity<RecordField>(e =>
        {
            e.ToTable("RecordFields");
            e.HasIndex(f => new { f.RecordTypeId, f.Key }).IsUnique();
            e.Property(f => f.Key).HasMaxLength(40);
            e.Property(f => f.Label).HasMaxLength(100);
            e.Property(f => f.Type).HasConversion<string>().HasMaxLength(16);
            e.Property(f => f.Choices).HasMaxLength(25_000);
            e.Property(f => f.Currency).HasMaxLength(3);
            e.Ignore(f => f.ChoiceList);
        });
        b.Entity<RecordStage>(e =>
        {
            e.ToTable("RecordStages");
            e.HasIndex(s => new { s.RecordTypeId, s.Key }).IsUnique();
            e.Property(s => s.Key).HasMaxLength(40);
            e.Property(s => s.Name).HasMaxLength(100);
        });
        b.Entity<BusinessRecord>(e =>
        {
            e.ToTable("Records");
            e.HasIndex(r => new { r.RecordTypeId, r.Number }).IsUnique();
            e.HasIndex(r => new { r.RecordTypeId, r.StageId, r.Id });
            e.HasIndex(r => new { r.AssigneeUserId, r.Id });
            e.Property(r => r.Reference).HasMaxLength(30);
            e.Property(r => r.UpdatedByName).HasMaxLength(200);
            e.Property(r => r.Version).IsConcurrencyToken();
            e.HasOne<RecordType>().WithMany().HasForeignKey(r => r.RecordTypeId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<RecordStage>().WithMany().HasForeignKey(r => r.StageId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(r => r.Values).WithOne().HasForeignKey(v => v.RecordId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<RecordValue>(e =>
        {
            e.HasIndex(v => new { v.RecordId, v.FieldId }).IsUnique();
            // Filters and sorts by one field read these, never the full text.
            e.HasIndex(v => new { v.FieldId, v.Key });
            e.HasIndex(v => new { v.FieldId, v.Number });
            e.Property(v => v.Key).HasMaxLength(RecordValue.KeyLength);
            e.HasOne<RecordField>().WithMany().HasForeignKey(v => v.FieldId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
