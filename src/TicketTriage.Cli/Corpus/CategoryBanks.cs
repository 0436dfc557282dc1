using TicketTriage.Cli.Corpus.Banks;

namespace TicketTriage.Cli.Corpus;

/// <summary>Every category of the corpus, in the order the README lists them.</summary>
internal static class CategoryBanks
{
    public static IReadOnlyList<CategoryBank> All { get; } =
    [
        AccountAccess.Bank, Email.Bank, WebsiteDown.Bank, SlowPerformance.Bank, MissingData.Bank, BackupRestore.Bank,
        DnsDomains.Bank, SslCertificates.Bank, Databases.Bank, FtpSshPermissions.Bank, Billing.Bank,
        HowToControlPanel.Bank, SecurityAbuse.Bank, Migration.Bank,
    ];

    private static readonly Dictionary<string, CategoryBank> ByIdMap = All.ToDictionary(b => b.Id);

    public static CategoryBank ById(string id) =>
        ByIdMap.TryGetValue(id, out var bank) ? bank : throw new KeyNotFoundException($"No category '{id}'.");
}
