using TicketTriage.ML.Similarity;

namespace TicketTriage.ML.Tests.Similarity;

public sealed class ReadMostlyTableTests
{
    [Fact]
    public void TryGetValue_FindsEveryKeyAcrossGrowth_AndMissesOthers()
    {
        var table = new ReadMostlyTable();
        for (var i = 0; i < 10_000; i++)
        {
            table.Add((ulong)i * 0x9E3779B97F4A7C15, i);
        }

        Assert.Equal(10_000, table.Count);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(table.TryGetValue((ulong)i * 0x9E3779B97F4A7C15, out var value));
            Assert.Equal(i, value);
        }

        Assert.False(table.TryGetValue(12345, out _));
    }

    [Fact]
    public void Varint_RoundTripsSmallAndLargeValues()
    {
        var buffer = new byte[64];
        uint[] values = [0, 1, 127, 128, 16_383, 16_384, uint.MaxValue];
        var at = 0;
        foreach (var v in values)
        {
            at = Varint.Write(buffer, at, v);
        }

        var read = 0;
        foreach (var v in values)
        {
            Assert.Equal(v, Varint.Read(buffer, ref read));
        }

        Assert.Equal(at, read);
    }

    [Fact]
    public void VarintWithFrequency_SpendsAByteOnlyOnFrequenciesOtherThanOne()
    {
        var buffer = new byte[16];
        var one = Varint.WriteWithFrequency(buffer, 0, 5, 1);
        var seven = Varint.WriteWithFrequency(buffer, one, 5, 7);

        Assert.Equal(1, one);
        Assert.Equal(3, seven);
        var at = 0;
        Assert.Equal(5u, Varint.ReadWithFrequency(buffer, ref at, out var f1));
        Assert.Equal(5u, Varint.ReadWithFrequency(buffer, ref at, out var f7));
        Assert.Equal((1, 7), (f1, f7));
    }
}
