using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> ticket)
    {
        ticket.ToTable("Tickets");
        ticket.Property(t => t.Source).HasMaxLength(Limits.Label);
        ticket.Property(t => t.ExternalId).HasMaxLength(Limits.ExternalId);
        ticket.Property(t => t.Channel).HasMaxLength(Limits.Label);
        ticket.Property(t => t.Subject).HasMaxLength(Limits.Subject);
        ticket.Property(t => t.Status).HasConversion<string>().HasMaxLength(Limits.Enum);
        ticket.Property(t => t.Category).HasMaxLength(Limits.Label);
        // Only for the migration's backfill of older rows (SQLite needs a default to add a NOT NULL column); every
        // writer sets it.
        ticket.Property(t => t.ReceivedAt).HasDefaultValue(DateTime.UnixEpoch);

        // The idempotency key: a retry of the same (source, external id) finds the first ticket instead of a new one.
        ticket.HasIndex(t => new { t.Source, t.ExternalId }).IsUnique();
        // Queue keyset paging: newest first, optionally by status; Id breaks ties between equal times.
        ticket.HasIndex(t => new { t.CreatedAt, t.Id });
        ticket.HasIndex(t => new { t.Status, t.CreatedAt, t.Id });
        // The agents' priority queue: score first (unscored rows form their own IS NULL range), then newest; one seek
        // per page whatever the depth (Features/Queue/TicketQueue.cs, migration 20261202000300_Ui).
        ticket.HasIndex(t => new { t.PriorityScore, t.CreatedAt, t.Id });
        ticket.HasIndex(t => new { t.Status, t.PriorityScore, t.CreatedAt, t.Id });
        // Partial: a new ticket has no pattern and no assignee yet, so ingest pays nothing for these two.
        ticket.HasIndex(t => t.PatternId).HasFilter("\"PatternId\" IS NOT NULL");
        ticket.HasIndex(t => t.AssigneeId).HasFilter("\"AssigneeId\" IS NOT NULL");
        // Triage: the worker's catch-up scan reads untriaged tickets in arrival order; the partial index holds only
        // those, so it stays small however many tickets are stored. ReceivedAt alone serves the API's `since`.
        ticket.HasIndex(t => new { t.ReceivedAt, t.Id }, "IX_Tickets_Untriaged").HasFilter("\"TriagedAt\" IS NULL");
        ticket.HasIndex(t => t.ReceivedAt);
        // The queue's category menu: a loose index scan (one seek per distinct category) instead of reading every
        // ticket (Features/Queue/TicketQueue.cs, migration 20261203000400_PageReads).
        ticket.HasIndex(t => t.Category);

        ticket.HasOne(t => t.Customer).WithMany(c => c.Tickets).HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Restrict);
        ticket.HasOne(t => t.Assignee).WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.SetNull);
    }
}
