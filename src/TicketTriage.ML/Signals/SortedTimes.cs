namespace TicketTriage.ML.Signals;

/// <summary>Binary searches over an ascending list of times (ticks), shared by the burst scans.</summary>
internal static class SortedTimes
{
    /// <summary>Index of the first element ≥ value.</summary>
    public static int LowerBound(List<long> list, long value)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Index of the first element &gt; value.</summary>
    public static int UpperBound(List<long> list, long value)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
