using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class TriageStateConfiguration : IEntityTypeConfiguration<TriageState>
{
    public void Configure(EntityTypeBuilder<TriageState> state)
    {
        state.ToTable("TriageStates");
        state.Property(s => s.Id).HasMaxLength(Limits.Label);
    }
}
