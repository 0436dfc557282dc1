using System.Globalization;

namespace TicketTriage.Web.Features.Queue;

/// <summary>
/// Keyset position in the priority queue: the (PriorityScore, CreatedAt, Id) of the last row shown. The queue is
/// ordered by score (highest first, unscored tickets last), then newest first. In the URL as
/// <c>?after=&lt;score&gt;~&lt;created ticks&gt;~&lt;id&gt;</c> (score <c>-</c> when unscored): the score round-trips
/// exactly and ticks keep the full time precision, so no row is skipped or repeated between pages, and a page costs
/// the same at row 50 and at row 1,000,000 (an index seek, not an OFFSET).
/// </summary>
public readonly record struct QueueCursor(double? Score, DateTime CreatedAt, long Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Score is { } s ? s.ToString("R", CultureInfo.InvariantCulture) : "-")}~{CreatedAt.Ticks}~{Id}");

    public static QueueCursor? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Split('~') is not [var scoreText, var ticksText, var idText]
            || !long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || ticks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        double? score = null;
        if (scoreText != "-")
        {
            if (!double.TryParse(scoreText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                return null;
            }

            score = value;
        }

        return new QueueCursor(score, new DateTime(ticks, DateTimeKind.Utc), id);
    }
}
