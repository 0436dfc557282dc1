using System.Globalization;

namespace TicketTriage.Web.Features.Queue;

/// <summary>The queue's state lives in its URL (filters and page position), so a reload or a shared link keeps it.</summary>
internal static class QueueUrls
{
    public static string For(QueueFilter filter, bool mine, QueueCursor? after)
    {
        var query = new List<string>();
        if (filter.Status is { } status)
        {
            query.Add($"status={status}");
        }

        if (filter.Category is { } category)
        {
            query.Add("category=" + Uri.EscapeDataString(category));
        }

        if (filter.PatternId is { } pattern)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"pattern={pattern}"));
        }

        if (mine)
        {
            query.Add("mine=true");
        }

        if (filter.NeedsReview)
        {
            query.Add("review=true");
        }

        if (after is { } cursor)
        {
            query.Add("after=" + Uri.EscapeDataString(cursor.ToString()));
        }

        return query.Count == 0 ? "/queue" : "/queue?" + string.Join("&", query);
    }
}
