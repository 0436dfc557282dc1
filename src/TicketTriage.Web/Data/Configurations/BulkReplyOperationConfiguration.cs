using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class BulkReplyOperationConfiguration : IEntityTypeConfiguration<BulkReplyOperation>
{
    public void Configure(EntityTypeBuilder<BulkReplyOperation> operation)
    {
        operation.ToTable("BulkReplyOperations");
        operation.Property(o => o.IdempotencyKey).HasMaxLength(Limits.ExternalId);
        operation.Property(o => o.SubjectTemplate).HasMaxLength(Limits.Subject);
        operation.Property(o => o.StatusAfter).HasConversion<string>().HasMaxLength(Limits.Enum);
        operation.Property(o => o.State).HasConversion<string>().HasMaxLength(Limits.Enum);
        operation.Property(o => o.CreatedBy).HasMaxLength(Limits.Email);
        operation.Property(o => o.UndoneBy).HasMaxLength(Limits.Email);
        // A repeated request (double press, client retry) finds its operation instead of starting another.
        operation.HasIndex(o => o.IdempotencyKey).IsUnique();
        operation.HasIndex(o => new { o.PatternId, o.CreatedAt });
        operation.HasIndex(o => o.State);
    }
}

internal sealed class BulkReplyRecipientConfiguration : IEntityTypeConfiguration<BulkReplyRecipient>
{
    public void Configure(EntityTypeBuilder<BulkReplyRecipient> recipient)
    {
        recipient.ToTable("BulkReplyRecipients");
        recipient.Property(r => r.State).HasConversion<string>().HasMaxLength(Limits.Enum);
        recipient.Property(r => r.PreviousStatus).HasConversion<string>().HasMaxLength(Limits.Enum);
        recipient.Property(r => r.Reason).HasMaxLength(Limits.Subject);
        // Exactly once per ticket: the database refuses a second row for the same (operation, ticket).
        recipient.HasIndex(r => new { r.OperationId, r.TicketId }).IsUnique();
        recipient.HasIndex(r => new { r.OperationId, r.State, r.Id });
        recipient.HasOne<BulkReplyOperation>().WithMany().HasForeignKey(r => r.OperationId).OnDelete(DeleteBehavior.Cascade);
        recipient.HasOne<Ticket>().WithMany().HasForeignKey(r => r.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
