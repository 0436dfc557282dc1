using System.Runtime.InteropServices;

namespace TicketTriage.ML.Clustering;

// Saving and restoring a detector's whole state.
public sealed partial class PatternDetector
{
    // ---------------------------------------------------------------------------------------------------------------
    // State: a versioned binary format. Layout: magic "TTPD", version, options, latent dimensions, term dictionary,
    // counters, background, patterns. The inverted index is rebuilt from each pattern's indexed terms on load.

    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        WriteOptions(w, Options);
        w.Write(LatentDimensions);
        Terms.Write(w);
        w.Write(_assignments);
        w.Write(_backgroundDocuments);
        w.Write(_streamStartTicks);
        w.Write(_everyday);
        w.Write(_background.Count);
        foreach (var (k, v) in _background.OrderBy(p => p.Key)) { w.Write(k); w.Write(v); }
        w.Write(_patterns.Count);
        foreach (var p in _patterns) WritePattern(w, p);
        w.Write(_changed.Count);
        foreach (var id in _changed.Order()) w.Write(id);
        w.Write(_incidentGaps.Count);
        foreach (var (id, gap) in _incidentGaps.OrderBy(g => g.Key)) { w.Write(id); w.Write(gap); }
    }

    /// <summary>
    /// Restores a saved detector. <paramref name="adjust"/> may change options on the way in (e.g. a new join
    /// threshold, or <see cref="PatternDetectorOptions.ExhaustiveSearch"/> for a reference measurement).
    /// </summary>
    public static PatternDetector Load(Stream stream, Func<PatternDetectorOptions, PatternDetectorOptions>? adjust = null)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (!r.ReadBytes(4).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("Not a pattern detector state (bad magic).");
        var version = r.ReadInt32();
        if (version is < 1 or > FormatVersion) throw new InvalidDataException($"Pattern detector state version {version} is not supported (expected {FormatVersion}).");
        var options = ReadOptions(r);
        if (adjust is not null) options = adjust(options);
        var latent = r.ReadInt32();
        var terms = TermDictionary.Read(r);
        var d = new PatternDetector(options, latent, terms) { _assignments = r.ReadInt64(), _backgroundDocuments = r.ReadInt64() };
        if (version >= 3) (d._streamStartTicks, d._everyday) = (r.ReadInt64(), r.ReadInt64());
        var bg = r.ReadInt32();
        for (var i = 0; i < bg; i++) d._background[r.ReadInt32()] = r.ReadDouble();
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var p = d.Create(0);
            ReadPattern(r, p, version);
            if (!p.IsLive) d.LivePatternCount--;
            var (indexed, weights) = (p.IndexedTerms, p.IndexedWeights);
            p.IndexedTerms = [];
            p.IndexedWeights = [];
            if (p.IsLive) d.SetIndexed(p, indexed, version >= 2 ? weights : null);
        }
        var changed = r.ReadInt32();
        for (var i = 0; i < changed; i++) d._changed.Add(r.ReadInt32());
        if (version >= 4)
        {
            var paces = r.ReadInt32();
            for (var i = 0; i < paces; i++) d._incidentGaps[r.ReadInt32()] = r.ReadInt64();
        }

        if (version < 3 && d._patterns.Count > 0) (d._streamStartTicks, d._everyday) = (d._patterns.Min(p => p.FirstSeenTicks), d._assignments);
        return d;
    }

    private static void WriteOptions(BinaryWriter w, PatternDetectorOptions o)
    {
        w.Write(o.JoinThreshold); w.Write(o.HalfLife.Ticks); w.Write(o.GapGrace.Ticks); w.Write(o.GapScale.Ticks);
        w.Write(o.TimeGapWeight); w.Write(o.AttributeWeight); w.Write(o.MinAttributeSupport); w.Write(o.MaxAttributeValues);
        w.Write(o.IndexedTermsPerPattern); w.Write(o.QueryTerms); w.Write(o.CandidatesScored); w.Write(o.MaxCentroidTerms);
        w.Write(o.MergeThreshold); w.Write(o.MergeEvery); w.Write(o.RetireAfter.Ticks); w.Write(o.SeriesMinutes);
        w.Write(o.MaxMemberIds); w.Write(o.TitleTerms); w.Write(o.ExhaustiveSearch);
    }

    private static PatternDetectorOptions ReadOptions(BinaryReader r) => new()
    {
        JoinThreshold = r.ReadSingle(), HalfLife = new(r.ReadInt64()), GapGrace = new(r.ReadInt64()), GapScale = new(r.ReadInt64()),
        TimeGapWeight = r.ReadSingle(), AttributeWeight = r.ReadSingle(), MinAttributeSupport = r.ReadInt32(), MaxAttributeValues = r.ReadInt32(),
        IndexedTermsPerPattern = r.ReadInt32(), QueryTerms = r.ReadInt32(), CandidatesScored = r.ReadInt32(), MaxCentroidTerms = r.ReadInt32(),
        MergeThreshold = r.ReadSingle(), MergeEvery = r.ReadInt32(), RetireAfter = new(r.ReadInt64()), SeriesMinutes = r.ReadInt32(),
        MaxMemberIds = r.ReadInt32(), TitleTerms = r.ReadInt32(), ExhaustiveSearch = r.ReadBoolean(),
    };

    private static void WritePattern(BinaryWriter w, PatternState p)
    {
        w.Write(p.IsLive); w.Write(p.MergedInto); w.Write(p.Size);
        w.Write(p.FirstSeenTicks); w.Write(p.LastSeenTicks); w.Write(p.LastDecayTicks); w.Write(p.LastSeenEveryday);
        w.Write(p.Scale); w.Write(p.Weight);
        w.Write(p.TermCount);
        for (var i = 0; i < p.TermCount; i++) { w.Write(p.Keys[i]); w.Write(p.Values[i]); }
        w.Write(p.Latent?.Length ?? -1);
        if (p.Latent is not null) foreach (var v in p.Latent) w.Write(v);
        w.Write(p.IndexedTerms.Length);
        for (var i = 0; i < p.IndexedTerms.Length; i++) { w.Write(p.IndexedTerms[i]); w.Write(p.IndexedWeights[i]); }
        w.Write(p.Arrivals.Count);
        foreach (var a in p.Arrivals) { w.Write(a.Minute); w.Write(a.Count); }
        w.Write(p.Members.Count);
        foreach (var m in p.Members) w.Write(m);
        w.Write(p.Attributes.Count);
        foreach (var (key, counts) in p.Attributes)
        {
            w.Write(key); w.Write(counts.Total); w.Write(counts.Values.Count);
            foreach (var (v, n) in counts.Values) { w.Write(v); w.Write(n); }
        }
    }

    private static void ReadPattern(BinaryReader r, PatternState p, int version)
    {
        p.IsLive = r.ReadBoolean(); p.MergedInto = r.ReadInt32(); p.Size = r.ReadInt32();
        p.FirstSeenTicks = r.ReadInt64(); p.LastSeenTicks = r.ReadInt64(); p.LastDecayTicks = r.ReadInt64();
        if (version >= 3) p.LastSeenEveryday = r.ReadInt64();
        p.Scale = r.ReadDouble(); p.Weight = r.ReadDouble();
        var terms = r.ReadInt32();
        var termKeys = new int[terms];
        var termValues = new float[terms];
        for (var i = 0; i < terms; i++) { termKeys[i] = r.ReadInt32(); termValues[i] = r.ReadSingle(); }
        p.SetTerms(termKeys, termValues);
        var latent = r.ReadInt32();
        p.Latent = latent < 0 ? null : new float[latent];
        for (var i = 0; i < latent; i++) p.Latent![i] = r.ReadSingle();
        var indexed = new int[r.ReadInt32()];
        var weights = new float[indexed.Length];
        for (var i = 0; i < indexed.Length; i++)
        {
            indexed[i] = r.ReadInt32();
            if (version >= 2) weights[i] = r.ReadSingle();
        }
        p.IndexedTerms = indexed;
        p.IndexedWeights = weights;
        var arrivals = r.ReadInt32();
        for (var i = 0; i < arrivals; i++) p.Arrivals.Add(new(r.ReadInt64(), r.ReadInt32()));
        var members = r.ReadInt32();
        for (var i = 0; i < members; i++) p.Members.Enqueue(r.ReadString());
        var keys = r.ReadInt32();
        for (var i = 0; i < keys; i++)
        {
            var counts = new AttributeCounts();
            p.Attributes[r.ReadString()] = counts;
            counts.Total = r.ReadInt32();
            var values = r.ReadInt32();
            for (var j = 0; j < values; j++) counts.Values[r.ReadString()] = r.ReadInt32();
        }
        p.RecomputeNorm();
    }
}
