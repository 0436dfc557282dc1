using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketTriage.Web.Domain;

namespace TicketTriage.Web.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.ToTable("Users");
        user.Property(u => u.Email).HasMaxLength(Limits.Email);
        user.Property(u => u.DisplayName).HasMaxLength(Limits.Name);
        user.Property(u => u.SecurityStamp).HasMaxLength(Limits.Stamp).HasDefaultValue("");
        user.Property(u => u.Role).HasConversion<string>().HasMaxLength(Limits.Enum);
        user.HasIndex(u => u.Email).IsUnique();
    }
}
