using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.ToTable("Customers");
        customer.Property(c => c.Email).HasMaxLength(Limits.Email);
        customer.Property(c => c.Username).HasMaxLength(Limits.Name);
        customer.Property(c => c.Name).HasMaxLength(Limits.Name);
        customer.Property(c => c.Plan).HasMaxLength(Limits.Label);
        customer.Property(c => c.Tier).HasMaxLength(Limits.Label);
        customer.Property(c => c.Server).HasMaxLength(Limits.Label);
        customer.Property(c => c.Datacenter).HasMaxLength(Limits.Label);
        customer.Property(c => c.Region).HasMaxLength(Limits.Label);
        customer.HasIndex(c => c.Email).IsUnique();
        customer.HasIndex(c => c.Server);
    }
}
