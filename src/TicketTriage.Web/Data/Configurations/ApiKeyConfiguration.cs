using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.ToTable("ApiKeys");
        key.Property(k => k.Name).HasMaxLength(Limits.Name);
        key.Property(k => k.Prefix).HasMaxLength(Limits.Label);
        key.Property(k => k.SecretHash).HasMaxLength(64);
        key.Ignore(k => k.IsRevoked);
        key.HasIndex(k => k.Prefix).IsUnique();
    }
}
