using System.Runtime.InteropServices;
using TicketTriage.ML.Classification;
using TicketTriage.ML.Clustering;
using TicketTriage.ML.Signals;

namespace TicketTriage.ML.Engine;

// The whole state as one versioned binary stream: featurizer, detector, the base-rate ring, emergence history,
// burst streams, recent tickets, per-pattern tracks, flags, changes and what their targets imply. The classifier is
// not included.
//
// The featurizer may be kept apart (Save with featurizerApart, SaveFeaturizer): it is most of the state (its latent
// projection: 57 of 92 MB after 80,000 tickets) and changes only at a refit, while the rest changes with every
// ticket. An app that saves every half minute writes it once per fit instead of every time.
public sealed partial class TriageEngine
{
    // 2: changes and links carry their rollout series; 3: the emergence history marks tickets of flagged patterns;
    // 4: the featurizer's generation, and the featurizer inline or apart; 5: what the changes' targets imply, and when
    // each incident pace was counted.
    private const int FormatVersion = 5;
    private static ReadOnlySpan<byte> Magic => "TTEN"u8;
    private static ReadOnlySpan<byte> FeaturizerMagic => "TTPF"u8;

    /// <summary>
    /// Which fit of the featurizer this engine uses: 1 for the first, one more at each refit. A state saved apart
    /// from its featurizer names it, and loads only with that one.
    /// </summary>
    public long FeaturizerGeneration { get; private set; } = 1;

    /// <summary>The whole state, featurizer included.</summary>
    public void Save(Stream stream) => Save(stream, featurizerApart: false);

    /// <summary>
    /// The state; with <paramref name="featurizerApart"/>, without the featurizer, which is then saved by
    /// <see cref="SaveFeaturizer"/> (once per <see cref="FeaturizerGeneration"/>) and given back to <see cref="Load"/>.
    /// </summary>
    public void Save(Stream stream, bool featurizerApart)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(TicketsSeen);
        w.Write(HistorySize);
        w.Write(FittedAtSeq);
        w.Write(FittedAtTicks);
        w.Write(_lastHousekeepingTicks);
        w.Write(_lastTicks);
        w.Write(FeaturizerGeneration);
        w.Write(featurizerApart);
        if (!featurizerApart)
        {
            _featurizer.Write(w);
        }

        w.Flush();
        _detector.Save(stream);

        // Vectors once each, by sequence number: the ring and the patterns' recent members share most of them.
        var vectors = new SortedDictionary<long, ClusterItem>();
        var ring = _history.Entries().ToList();
        foreach (var (_, item, tag) in ring)
        {
            vectors[tag] = item;
        }

        foreach (var track in _tracks.Values)
        {
            foreach (var m in track.Recent)
            {
                vectors[m.Seq] = m.Item;
            }
        }

        w.Write(vectors.Count);
        foreach (var (seq, item) in vectors)
        {
            w.Write(seq);
            WriteFloats(w, item.Indices.Length, item.Indices, item.Values);
            w.Write(item.Latent?.Length ?? -1);
            // The latent blocks are most of the state's bytes: written whole, as the little-endian floats one by
            // one would be (LinearModel's way), at a fraction of the calls.
            w.Write(MemoryMarshal.AsBytes(item.Latent.AsSpan()));
        }

        w.Write(ring.Count);
        foreach (var (ticks, _, tag) in ring)
        {
            w.Write(ticks);
            w.Write(tag);
        }

        _emergence.Write(w);
        _concentrated.Write(w);
        _recent.Write(w);

        w.Write(_tracks.Count);
        foreach (var (id, t) in _tracks.OrderBy(t => t.Key))
        {
            w.Write(id);
            w.Write(t.Count);
            w.Write(t.FirstSeenTicks);
            w.Write(t.Recent.Count);
            foreach (var m in t.Recent)
            {
                w.Write(m.Seq);
                w.Write(m.Ticks);
            }

            w.Write(t.FlagSeq ?? -1);
            w.Write(t.FlagTicks);
            w.Write(t.FlagWindowTicks);
            w.Write(t.Evidence ?? "");
            w.Write(t.Dismissed);
            w.Write(t.SignalsAtSize);
            EngineStateFormat.WriteConcentrations(w, t.Concentrations);
            EngineStateFormat.WriteLink(w, t.LikelyChange);
        }

        w.Write(_flagged.Count);
        foreach (var id in _flagged.Order())
        {
            w.Write(id);
        }

        w.Write(_changes.Count);
        foreach (var change in _changes.Values.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            EngineStateFormat.WriteChange(w, change);
        }

        _implied.Write(w);
        w.Write(_pacedAt.Count);
        foreach (var (id, at) in _pacedAt.OrderBy(p => p.Key))
        {
            w.Write(id);
            w.Write(at);
        }
    }

    /// <summary>The featurizer alone, with its generation: what a state saved with featurizerApart loads with.</summary>
    public void SaveFeaturizer(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(FeaturizerMagic);
        w.Write(FeaturizerGeneration);
        _featurizer.Write(w);
        w.Flush();
    }

    /// <summary>
    /// Restores a saved engine. <paramref name="options"/> must be the options it ran with (or compatible ones: the
    /// featurizer and detector settings come from the stream). A state saved with its featurizer apart needs
    /// <paramref name="featurizer"/>, a stream from <see cref="SaveFeaturizer"/> of the same generation; a whole state
    /// ignores it.
    /// </summary>
    public static TriageEngine Load(Stream stream, EngineOptions options, ITextClassifier? classifier, Stream? featurizer = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (!r.ReadBytes(4).AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a triage engine state (bad magic).");
        }

        var version = r.ReadInt32();
        if (version is < 1 or > FormatVersion)
        {
            throw new InvalidDataException($"Triage engine state version {version} is not supported (expected 1 to {FormatVersion}).");
        }

        var (seen, historySize, fittedAtSeq, fittedAtTicks, housekeeping, last) =
            (r.ReadInt64(), r.ReadInt32(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());
        var generation = version >= 4 ? r.ReadInt64() : 1;
        var apart = version >= 4 && r.ReadBoolean();
        var fitted = apart ? ReadFeaturizerApart(featurizer, generation) : PatternFeaturizer.Read(r);
        // The pace settings are the engine's, not the saved state's (they are not saved): a restore keeps them.
        var detector = PatternDetector.Load(stream, saved => saved with
        {
            PaceGaps = options.Patterns.PaceGaps,
            StreamSilenceMinTickets = options.Patterns.StreamSilenceMinTickets,
        });
        var engine = new TriageEngine(options, fitted, detector, classifier)
        {
            FeaturizerGeneration = generation,
            TicketsSeen = seen,
            HistorySize = historySize,
            FittedAtSeq = fittedAtSeq,
            FittedAtTicks = fittedAtTicks,
            _lastHousekeepingTicks = housekeeping,
            _lastTicks = last,
        };

        var vectors = new Dictionary<long, ClusterItem>();
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var seq = r.ReadInt64();
            var (indices, values) = ReadFloats(r);
            var latentLength = r.ReadInt32();
            float[]? latent = latentLength < 0 ? null : new float[latentLength];
            stream.ReadExactly(MemoryMarshal.AsBytes(latent.AsSpan()));

            vectors[seq] = new ClusterItem(indices, values, latent);
        }

        var ring = r.ReadInt32();
        for (var i = 0; i < ring; i++)
        {
            var ticks = r.ReadInt64();
            var tag = r.ReadInt64();
            engine._history.Add(new DateTimeOffset(ticks, TimeSpan.Zero), vectors[tag], tag);
        }

        engine._emergence.Read(r, version);
        engine._concentrated.Read(r);
        engine._recent = RecentTickets.Read(r);

        var tracks = r.ReadInt32();
        for (var i = 0; i < tracks; i++)
        {
            var id = r.ReadInt32();
            var t = new PatternTrack { Count = r.ReadInt32(), FirstSeenTicks = r.ReadInt64() };
            var recent = r.ReadInt32();
            for (var k = 0; k < recent; k++)
            {
                var seq = r.ReadInt64();
                t.Recent.Add(new MemberVector(seq, r.ReadInt64(), vectors[seq]));
            }

            var flagSeq = r.ReadInt64();
            t.FlagSeq = flagSeq < 0 ? null : flagSeq;
            t.FlagTicks = r.ReadInt64();
            t.FlagWindowTicks = r.ReadInt64();
            var evidence = r.ReadString();
            t.Evidence = t.FlagSeq is null ? null : evidence;
            t.Dismissed = r.ReadBoolean();
            t.SignalsAtSize = r.ReadInt32();
            t.Concentrations = EngineStateFormat.ReadConcentrations(r);
            t.LikelyChange = EngineStateFormat.ReadLink(r, version);
            engine._tracks[id] = t;
        }

        var flagged = r.ReadInt32();
        for (var i = 0; i < flagged; i++)
        {
            var id = r.ReadInt32();
            engine._flagged.Add(id);
            engine._detector.FollowPace(id);
        }

        var changes = r.ReadInt32();
        for (var i = 0; i < changes; i++)
        {
            var change = EngineStateFormat.ReadChange(r, version);
            engine._changes[change.Id] = change;
        }

        // What the changes' targets imply (a server's datacenter), as learned from every ticket since the first
        // change: before version 5 it was learned again from the tickets after a restore, where a server seen on
        // three tickets since "implied" whatever plan they shared (ImpliedValuesTests; the PHP rollout's restores
        // did not need it). And when each flagged pattern's incident pace was last counted (PaceOfTicketsLikeIt): the
        // pace itself is the detector's, saved with it (StreamDeterminismTests, the PHP rollout); the recount is
        // throttled from the same moments.
        if (version >= 5)
        {
            engine._implied.Read(r);
            var paced = r.ReadInt32();
            for (var i = 0; i < paced; i++)
            {
                engine._pacedAt[r.ReadInt32()] = r.ReadInt64();
            }
        }

        // As AssessSignals last told it, from the restored tracks: which flagged patterns count silence in stream time.
        foreach (var id in engine._flagged)
        {
            engine._detector.CountSilenceInStreamTime(id, engine.Gates(id).Count > 0);
        }

        return engine;
    }

    private static PatternFeaturizer ReadFeaturizerApart(Stream? stream, long generation)
    {
        if (stream is null)
        {
            throw new InvalidDataException($"This triage engine state was saved without its featurizer (generation {generation}), and none was given.");
        }

        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (!r.ReadBytes(4).AsSpan().SequenceEqual(FeaturizerMagic))
        {
            throw new InvalidDataException("Not a triage engine featurizer (bad magic).");
        }

        var saved = r.ReadInt64();
        return saved == generation ? PatternFeaturizer.Read(r) :
            throw new InvalidDataException($"The state needs featurizer generation {generation}; the one given is generation {saved}.");
    }

    private static void WriteFloats(BinaryWriter w, int length, int[] indices, float[] values)
    {
        w.Write(length);
        for (var i = 0; i < length; i++)
        {
            w.Write(indices[i]);
            w.Write(values[i]);
        }
    }

    private static (int[] Indices, float[] Values) ReadFloats(BinaryReader r)
    {
        var n = r.ReadInt32();
        var indices = new int[n];
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            indices[i] = r.ReadInt32();
            values[i] = r.ReadSingle();
        }

        return (indices, values);
    }
}
