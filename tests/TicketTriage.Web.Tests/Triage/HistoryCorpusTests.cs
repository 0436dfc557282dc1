using Microsoft.Extensions.Logging.Abstractions;
using TicketTriage.Web.Features.Triage;

namespace TicketTriage.Web.Tests.Triage;

/// <summary>The featurizer's history is topped up with ordinary tickets when the app holds few.</summary>
public sealed class HistoryCorpusTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("history-corpus-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Corpus(int rows)
    {
        var path = Path.Combine(_dir, "tickets.csv");
        // Quoted fields with commas and newlines, as the shipped corpus has them.
        File.WriteAllLines(path, ["id,text,category", .. Enumerable.Range(1, rows).Select(i => $"{i},\"ticket {i}, line one\nline two\",billing")]);
        return path;
    }

    private static HistoryCorpus Over(string path, int min) =>
        new(new TriageOptions { HistoryCorpusPath = path, HistoryMinTickets = min }, "/", NullLogger.Instance);

    [Fact]
    public void Few_stored_tickets_are_topped_up_to_the_minimum_stored_first()
    {
        var history = Over(Corpus(50), min: 10).TopUp(["stored a", "stored b"]);

        Assert.Equal(10, history.Count);
        Assert.Equal(["stored a", "stored b"], history.Take(2));
        Assert.Equal("ticket 1, line one\nline two", history[2]);
    }

    [Fact]
    public void Enough_stored_tickets_or_no_corpus_leave_the_history_as_stored()
    {
        string[] stored = ["a", "b", "c"];
        Assert.Same(stored, Over(Corpus(50), min: 3).TopUp(stored));
        Assert.Same(stored, Over(Path.Combine(_dir, "missing.csv"), min: 10).TopUp(stored));
        Assert.Same(stored, Over("", min: 10).TopUp(stored));
        Assert.Equal(5, Over(Corpus(2), min: 10).TopUp(stored).Count); // a short corpus gives what it has
    }

    [Fact]
    public void The_shipped_corpus_is_found_from_the_app_folder_and_read_whole()
    {
        var appFolder = Path.Combine(RepoRoot(), "src", "TicketTriage.Web");
        var history = new HistoryCorpus(new TriageOptions(), appFolder, NullLogger.Instance).TopUp([]);

        Assert.Equal(new TriageOptions().HistoryMinTickets, history.Count);
        Assert.All(history, t => Assert.False(string.IsNullOrWhiteSpace(t)));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TicketTriage.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TicketTriage.sln not found above the test folder.");
    }
}
