using TicketTriage.ML.Clustering;

namespace TicketTriage.ML.Engine;

// Reading patterns, the lead's feedback, and housekeeping of the windows.
public sealed partial class TriageEngine
{
    public PatternReport Describe(int patternId)
    {
        if (patternId < 0 || patternId >= _detector.PatternCount)
        {
            throw new ArgumentOutOfRangeException(nameof(patternId), patternId, "No such pattern.");
        }

        var summary = _detector.Describe(patternId);
        _tracks.TryGetValue(patternId, out var track);
        var emerging = _flagged.Contains(patternId);
        return new PatternReport(
            summary.Id, summary.Title, summary.TopTerms, summary.Size, summary.FirstSeen, summary.LastSeen,
            emerging,
            track?.FlagSeq is not null ? new DateTimeOffset(track.FlagTicks, TimeSpan.Zero) : null,
            track?.Evidence,
            track?.Concentrations ?? [],
            track?.LikelyChange,
            summary.Arrivals,
            summary.IsLive,
            track?.Dismissed ?? false);
    }

    /// <summary>Live patterns (and, unless <paramref name="liveOnly"/>, the flagged ones retired or merged but still tracked), largest first.</summary>
    public IReadOnlyList<PatternReport> Patterns(bool liveOnly = true)
    {
        var ids = _detector.LivePatterns().Select(p => p.Id).ToList();
        if (!liveOnly)
        {
            ids.AddRange(_tracks.Where(t => t.Value.FlagSeq is not null).Select(t => t.Key).Except(ids).Order());
        }

        return ids.Select(Describe).OrderByDescending(r => r.Size).ThenBy(r => r.Id).ToList();
    }

    /// <summary>The lead merges <paramref name="from"/> into <paramref name="into"/> (both resolved first). Returns the events it caused.</summary>
    public IReadOnlyList<EngineEvent> MergePatterns(int from, int into, DateTimeOffset at)
    {
        _events = [];
        var (f, i) = (Resolve(from), Resolve(into));
        if (f == i)
        {
            return _events;
        }

        _detector.Merge(f, i);
        Absorb(f, i, at);
        if (_flagged.Contains(i))
        {
            AssessSignals(i, at);
        }

        return _events;
    }

    /// <summary>
    /// The lead says this pattern is no incident: it is never flagged emerging again, and its tickets count as
    /// ordinary traffic in the base rates of new patterns.
    /// </summary>
    public void Dismiss(int patternId)
    {
        var id = Resolve(patternId);
        Track(id).Dismissed = true;
        _flagged.Remove(id);
    }

    private void Housekeeping(DateTimeOffset now)
    {
        _lastHousekeepingTicks = now.UtcTicks;
        var days = TimeSpan.FromDays(Options.Emergence.HistoryDays);
        _emergence.Prune(now - days); // keeps twice its history: a pattern's scan never reaches the cut
        _concentrated.Prune(now - 2 * LongestBurstWindow);
        var keep = Options.ReferenceWindow + Options.SignalsHorizon;
        _recent.Trim((now - keep).UtcTicks, Options.BaseRateTickets, Math.Max(Options.ReferenceMaxTickets, Options.BaseRateTickets));
        _recent.CompactStrings();

        // Retired and merged patterns take no tickets any more: their vectors and member ids go (the detector keeps
        // every pattern ever created, so this is what bounds the memory of old ones); what a page shows of them
        // stays while their tickets are among the recent ones.
        for (var id = 0; id < _detector.PatternCount; id++)
        {
            _detector.Compact(id);
        }

        foreach (var (id, track) in _tracks.ToList())
        {
            if (_detector.IsLive(id))
            {
                continue;
            }

            track.DropVectors();
            if (_detector.LastSeen(id) < now - keep)
            {
                _tracks.Remove(id);
                _flagged.Remove(id);
            }
        }

        var changeHorizon = now - Options.SignalsHorizon - TimeSpan.FromHours(Options.Change.MaxLagHours);
        foreach (var old in _changes.Values.Where(c => (c.End ?? c.Start) < changeHorizon).ToList())
        {
            _changes.Remove(old.Id);
        }
    }
}
