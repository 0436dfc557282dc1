using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class ChangeConfiguration : IEntityTypeConfiguration<Change>
{
    public void Configure(EntityTypeBuilder<Change> change)
    {
        change.ToTable("Changes");
        change.Property(c => c.Source).HasMaxLength(Limits.Label);
        change.Property(c => c.ExternalId).HasMaxLength(Limits.ExternalId);
        change.Property(c => c.Name).HasMaxLength(Limits.Subject);
        change.Property(c => c.Kind).HasMaxLength(Limits.Label);
        change.Property(c => c.Series).HasMaxLength(Limits.Label);
        // The idempotency key of POST /api/changes.
        change.HasIndex(c => new { c.Source, c.ExternalId }).IsUnique();
        change.HasIndex(c => c.StartAt);
    }
}
