using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

/// <summary>The engine state's records on the wire: concentrations, change links and changes.</summary>
internal static class EngineStateFormat
{
    public static void WriteConcentrations(BinaryWriter w, IReadOnlyList<Concentration> list)
    {
        w.Write(list.Count);
        foreach (var c in list)
        {
            w.Write(c.Key);
            w.Write(c.Value);
            w.Write(c.Support);
            w.Write(c.PatternSize);
            w.Write(c.ShareInside);
            w.Write(c.ShareBaseline);
            w.Write(c.Lift);
            w.Write(c.PValue);
            w.Write(c.Evidence);
        }
    }

    public static IReadOnlyList<Concentration> ReadConcentrations(BinaryReader r)
    {
        var n = r.ReadInt32();
        var list = new List<Concentration>(n);
        for (var i = 0; i < n; i++)
        {
            list.Add(new Concentration(r.ReadString(), r.ReadString(), r.ReadInt32(), r.ReadInt32(), r.ReadDouble(),
                r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadString()));
        }

        return list;
    }

    public static void WriteLink(BinaryWriter w, ChangeLink? link)
    {
        w.Write(link is not null);
        if (link is null)
        {
            return;
        }

        WriteChange(w, link.Change);
        w.Write(link.OnsetLag.Ticks);
        w.Write(link.TargetKey);
        w.Write(link.OnTargets);
        w.Write(link.PatternSize);
        w.Write(link.ShareInside);
        w.Write(link.ShareBaseline);
        w.Write(link.Lift);
        w.Write(link.PValue);
        w.Write(link.Evidence);
        w.Write(link.Series ?? "");
        w.Write(link.Batches);
    }

    public static ChangeLink? ReadLink(BinaryReader r, int version)
    {
        if (!r.ReadBoolean())
        {
            return null;
        }

        var link = new ChangeLink(ReadChange(r, version), new TimeSpan(r.ReadInt64()), r.ReadString(), r.ReadInt32(), r.ReadInt32(),
            r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadString());
        if (version < 2)
        {
            return link;
        }

        var series = r.ReadString();
        return link with { Series = series.Length == 0 ? null : series, Batches = r.ReadInt32() };
    }

    public static void WriteChange(BinaryWriter w, ChangeEvent c)
    {
        w.Write(c.Id);
        w.Write(c.Title);
        w.Write(c.Kind);
        w.Write(c.Start.UtcTicks);
        w.Write(c.End?.UtcTicks ?? long.MinValue);
        w.Write(c.Targets.Count);
        foreach (var (key, values) in c.Targets)
        {
            w.Write(key);
            w.Write(values.Count);
            foreach (var v in values)
            {
                w.Write(v);
            }
        }

        w.Write(c.Series ?? "");
    }

    public static ChangeEvent ReadChange(BinaryReader r, int version)
    {
        var (id, title, kind, start, end) = (r.ReadString(), r.ReadString(), r.ReadString(), r.ReadInt64(), r.ReadInt64());
        var targets = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var keys = r.ReadInt32();
        for (var i = 0; i < keys; i++)
        {
            var key = r.ReadString();
            var values = new string[r.ReadInt32()];
            for (var k = 0; k < values.Length; k++)
            {
                values[k] = r.ReadString();
            }

            targets[key] = values;
        }

        var series = version >= 2 ? r.ReadString() : "";
        return new ChangeEvent(id, title, kind, new DateTimeOffset(start, TimeSpan.Zero),
            end == long.MinValue ? null : new DateTimeOffset(end, TimeSpan.Zero), targets)
        { Series = series.Length == 0 ? null : series };
    }
}
