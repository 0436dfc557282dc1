using TicketTriage.ML.Engine;

namespace TicketTriage.ML.Tests.Engine;

/// <summary>The base-rate ring starts from the history the engine is created with (EngineOptions.SeedBaseRateFromHistory).</summary>
public sealed class BaseRateSeedTests
{
    private static readonly EngineOptions Seeded = new() { SeedBaseRateFromHistory = true };

    private const string SqlImport = "Import SQL file. I can't import my SQL file in phpMyAdmin, it says the file is too large.";

    private static List<string> History()
    {
        var random = new Random(3);
        string[] words = ["invoice", "dns", "ssl", "password", "mailbox", "backup", "plugin", "quota", "cron", "php", "domain", "renewal"];
        var texts = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            texts.Add(i % 10 == 0
                ? SqlImport + $" My account is user{i}."
                : string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[random.Next(words.Length)])) + $" ticket {i}");
        }

        return texts;
    }

    [Fact]
    public void An_everyday_topic_of_the_history_is_counted_before_the_first_ticket_of_the_stream()
    {
        var seeded = TriageEngine.Create(Seeded, History(), null);
        var (similar, total) = seeded.CountSimilarBefore(SqlImport, DateTimeOffset.UnixEpoch);

        Assert.Equal(300, total);
        Assert.InRange(similar, 30, 40);

        var bare = TriageEngine.Create(new EngineOptions { SeedBaseRateFromHistory = false }, History(), null);
        Assert.Equal((0, 0), bare.CountSimilarBefore(SqlImport, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Seeded_tickets_survive_a_save_and_restore_and_are_never_part_of_a_burst()
    {
        var engine = TriageEngine.Create(Seeded, History(), null);
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        engine.Triage(new EngineTicket(1, SqlImport, at, new Dictionary<string, string>()));
        using var stream = new MemoryStream();
        engine.Save(stream);
        stream.Position = 0;
        var restored = TriageEngine.Load(stream, new EngineOptions(), null);

        Assert.Equal(engine.CountSimilarBefore(SqlImport, at.AddMinutes(1)), restored.CountSimilarBefore(SqlImport, at.AddMinutes(1)));
        Assert.Equal(301, restored.CountSimilarBefore(SqlImport, at.AddMinutes(1)).Total);
        Assert.Equal(1, restored.CountSimilarSince(SqlImport, at.AddHours(-1)));
    }
}
