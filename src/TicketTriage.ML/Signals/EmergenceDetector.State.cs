namespace TicketTriage.ML.Signals;

// The detector's state, written with the engine's (TriageEngine.Save) and read back by version.
public sealed partial class EmergenceDetector
{
    internal void Write(BinaryWriter w)
    {
        WriteTimes(w, _all);
        WriteTimes(w, _notOrdinary);
        w.Write(_patterns.Count);
        foreach (var (id, p) in _patterns.OrderBy(p => p.Key))
        {
            w.Write(id);
            WriteTimes(w, p.Arrivals);
            w.Write(p.Emerging);
            w.Write(p.PriorShare.HasValue);
            w.Write(p.PriorShare ?? 0);
        }
    }

    internal void Read(BinaryReader r, int version)
    {
        _all.Clear();
        _notOrdinary.Clear();
        _allProfile.Clear();
        _patterns.Clear();
        ReadTimes(r, _all);
        if (version >= 3)
        {
            ReadTimes(r, _notOrdinary);
        }

        _all.ForEach(_allProfile.Add);
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var id = r.ReadInt64();
            var p = new PatternArrivals();
            ReadTimes(r, p.Arrivals);
            p.Arrivals.ForEach(p.Profile.Add);
            p.Emerging = r.ReadBoolean();
            var hasPrior = r.ReadBoolean();
            var prior = r.ReadDouble();
            p.PriorShare = hasPrior ? prior : null;
            _patterns[id] = p;
        }
    }

    internal static void WriteTimes(BinaryWriter w, List<long> times)
    {
        w.Write(times.Count);
        foreach (var t in times)
        {
            w.Write(t);
        }
    }

    internal static void ReadTimes(BinaryReader r, List<long> times)
    {
        var n = r.ReadInt32();
        times.Capacity = Math.Max(times.Capacity, n);
        for (var i = 0; i < n; i++)
        {
            times.Add(r.ReadInt64());
        }
    }
}
