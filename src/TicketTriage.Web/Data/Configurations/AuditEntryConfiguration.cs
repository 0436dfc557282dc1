using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("AuditEntries");
        entry.Property(a => a.Actor).HasMaxLength(Limits.Email);
        entry.Property(a => a.Action).HasMaxLength(Limits.Label);
        entry.Property(a => a.Target).HasMaxLength(Limits.ExternalId);
        entry.HasIndex(a => a.At);
    }
}
