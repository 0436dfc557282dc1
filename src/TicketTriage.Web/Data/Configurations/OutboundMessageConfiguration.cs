using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class OutboundMessageConfiguration : IEntityTypeConfiguration<OutboundMessage>
{
    public void Configure(EntityTypeBuilder<OutboundMessage> message)
    {
        message.ToTable("OutboundMessages");
        message.Property(m => m.ToAddress).HasMaxLength(Limits.Email);
        message.Property(m => m.ToName).HasMaxLength(Limits.Name);
        message.Property(m => m.Subject).HasMaxLength(Limits.Subject);
        message.Property(m => m.MessageId).HasMaxLength(Limits.ExternalId);
        message.Property(m => m.State).HasConversion<string>().HasMaxLength(Limits.Enum);
        // The dispatcher's scan: due messages in order.
        message.HasIndex(m => new { m.State, m.NextAttemptAt, m.Id });
        message.HasIndex(m => m.TicketId);
        message.HasIndex(m => m.TicketMessageId).IsUnique();
        message.HasIndex(m => m.MessageId).IsUnique();
        message.HasIndex(m => m.BulkReplyOperationId);
        message.HasOne<Ticket>().WithMany().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Cascade);
        message.HasOne(m => m.TicketMessage).WithMany().HasForeignKey(m => m.TicketMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
