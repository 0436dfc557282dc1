using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class IncidentUpdateConfiguration : IEntityTypeConfiguration<IncidentUpdate>
{
    public void Configure(EntityTypeBuilder<IncidentUpdate> update)
    {
        update.ToTable("IncidentUpdates");
        update.Property(u => u.Title).HasMaxLength(Limits.Subject);
        update.Property(u => u.State).HasConversion<string>().HasMaxLength(Limits.Enum);
        update.Property(u => u.Components).HasMaxLength(Limits.Subject);
        update.Property(u => u.CreatedBy).HasMaxLength(Limits.Email);
        update.HasIndex(u => new { u.PatternId, u.CreatedAt });
        update.HasIndex(u => u.CreatedAt);
    }
}
