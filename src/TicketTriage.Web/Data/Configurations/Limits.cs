namespace TicketTriage.Web.Data.Configurations;

/// <summary>
/// Column lengths, shared by the mappings, the hand-written migration and input validation so they cannot disagree.
/// Long text (ticket and message bodies, JSON) has no column limit: the API bounds it instead.
/// </summary>
public static class Limits
{
    public const int Email = 320;
    public const int Name = 200;
    public const int Label = 100;
    public const int ExternalId = 200;
    public const int Subject = 500;
    public const int Enum = 16;
    public const int Stamp = 64;

    /// <summary>Ticket body limit enforced by the API (64 KB of characters).</summary>
    public const int Body = 64 * 1024;
}
