using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class PatternConfiguration : IEntityTypeConfiguration<Pattern>
{
    public void Configure(EntityTypeBuilder<Pattern> pattern)
    {
        pattern.ToTable("Patterns");
        // The engine assigns pattern ids; the database never generates them.
        pattern.Property(p => p.Id).ValueGeneratedNever();
        pattern.Property(p => p.Title).HasMaxLength(Limits.Subject);
        pattern.Property(p => p.LeadTitle).HasMaxLength(Limits.Subject);
        pattern.Ignore(p => p.DisplayTitle);
        // Rows from before the column existed read as "no arrivals recorded".
        pattern.Property(p => p.ArrivalsJson).HasDefaultValue("[]");
        pattern.Property(p => p.Status).HasConversion<string>().HasMaxLength(Limits.Enum);
        pattern.HasIndex(p => p.LastSeen);
        // The board: holds every column its filter and order read, so ordering 10,000 patterns sorts index entries,
        // not rows with their JSON (Features/Patterns/PatternBoard.cs, migration 20261203000400_PageReads).
        pattern.HasIndex(p => new { p.Status, p.MergedIntoId, p.Size, p.EmergingSince, p.LastSeen }, "IX_Patterns_Board");
    }
}
