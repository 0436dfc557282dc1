using TicketTriage.Cli.Commands;

namespace TicketTriage.ML.Tests.Similarity;

public sealed class SimilarityEvaluationTests
{
    [Fact]
    public void RecallAndMrr_MatchHandComputedValues()
    {
        // Ranks 1, 3, 6 and not found: recall@1 1/4, @5 2/4, @10 3/4; MRR (1 + 1/3 + 1/6 + 0) / 4 = 0.375.
        var ranks = new DuplicateRanks([1, 3, 6, 0]);

        Assert.Equal(0.25, ranks.RecallAt(1), 6);
        Assert.Equal(0.5, ranks.RecallAt(5), 6);
        Assert.Equal(0.75, ranks.RecallAt(10), 6);
        Assert.Equal(0.375, ranks.MeanReciprocalRank, 6);
    }

    [Fact]
    public void IndexAndReference_BothFindAPlainDuplicate_AndExcludeTheQueryItself()
    {
        Report[] reports =
        [
            new(10, "Crash when printing a PDF", "The browser crashes when I print any PDF document from the viewer."),
            new(20, "Bookmarks toolbar missing", "After the update the bookmarks toolbar disappeared from the window."),
            new(30, "Printing PDF files crashes", "Printing a PDF document makes the whole browser crash immediately."),
            new(40, "Mail filters ignored", "Message filters no longer move mail into folders since version 2.53."),
        ];
        (long, long)[] pairs = [(10, 30), (30, 10)];

        var index = SimilarityEvaluation.Index(reports, pairs, new());
        var reference = SimilarityEvaluation.TfidfCosine(reports, pairs);

        Assert.Equal([1, 1], index.Ranks);
        Assert.Equal([1, 1], reference.Ranks);
    }
}
