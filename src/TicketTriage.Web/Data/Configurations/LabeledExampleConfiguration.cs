using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class LabeledExampleConfiguration : IEntityTypeConfiguration<LabeledExample>
{
    public void Configure(EntityTypeBuilder<LabeledExample> example)
    {
        example.ToTable("LabeledExamples");
        example.Property(e => e.Label).HasMaxLength(Limits.Label);
        example.Property(e => e.PreviousLabel).HasMaxLength(Limits.Label);
        example.Property(e => e.LabeledBy).HasMaxLength(Limits.Email);
        example.HasIndex(e => e.TicketId);
        example.HasOne<Ticket>().WithMany().HasForeignKey(e => e.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
