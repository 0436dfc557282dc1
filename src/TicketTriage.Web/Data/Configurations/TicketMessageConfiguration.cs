using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class TicketMessageConfiguration : IEntityTypeConfiguration<TicketMessage>
{
    public void Configure(EntityTypeBuilder<TicketMessage> message)
    {
        message.ToTable("TicketMessages");
        message.Property(m => m.AuthorKind).HasConversion<string>().HasMaxLength(Limits.Enum);
        message.HasIndex(m => new { m.TicketId, m.CreatedAt });
        message.HasOne(m => m.Ticket).WithMany(t => t.Messages).HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Cascade);
        message.HasOne(m => m.AuthorUser).WithMany().HasForeignKey(m => m.AuthorUserId).OnDelete(DeleteBehavior.SetNull);
    }
}
