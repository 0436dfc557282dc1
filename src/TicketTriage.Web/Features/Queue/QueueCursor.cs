using System.Globalization;

namespace TicketTriage.Web.Features.Queue;

/// <summary>
/// Keyset position in the newest-first queue: the (CreatedAt, Id) of the last row shown. In the URL as
/// <c>?before=&lt;created ticks&gt;,&lt;id&gt;</c>: ticks keep the full precision, so no row is skipped or repeated
/// between pages, and the page costs the same at row 50 and at row 1,000,000 (an index seek, not an OFFSET).
/// </summary>
public readonly record struct QueueCursor(DateTime CreatedAt, long Id)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.Ticks},{Id}");

    public static QueueCursor? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Split(',') is not [var ticksText, var idText]
            || !long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || ticks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        return new QueueCursor(new DateTime(ticks, DateTimeKind.Utc), id);
    }
}
