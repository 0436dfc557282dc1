using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace TicketTriage.ML.Text;

// The featurizer's versioned binary format.
public sealed partial class TextFeaturizer
{
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Write(writer);
    }

    public static TextFeaturizer Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        return Read(reader);
    }

    /// <summary>Writes the featurizer as a section of a larger file (magic, version, options, vocabulary, IDF).</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var o = Options;
        writer.Write(Magic);
        writer.Write(o.StemWords ? FormatVersion : 1);
        writer.Write(o.HashBits);
        writer.Write(o.WordNgramMin);
        writer.Write(o.WordNgramMax);
        writer.Write(o.CharNgramMin);
        writer.Write(o.CharNgramMax);
        writer.Write((int)o.CharScope);
        writer.Write(o.SublinearTf);
        writer.Write(o.UseIdf);
        writer.Write(o.WordWeight);
        writer.Write(o.CharWeight);
        writer.Write(o.MinDocumentFrequency);
        writer.Write(o.KeepUnseen);
        writer.Write(o.Seed);
        writer.Write(o.WordSkipWindow);
        if (o.StemWords)
        {
            writer.Write(true);
        }
        writer.Write(DocumentCount);
        writer.Write(_bucketOfId.Length);
        // Buckets ascend, so deltas are small: 7-bit encoded they take ~2 bytes each instead of 4.
        var previous = 0;
        foreach (var bucket in _bucketOfId)
        {
            writer.Write7BitEncodedInt(bucket - previous);
            previous = bucket;
        }

        // Document frequencies, not IDF: the loaded featurizer recomputes bit-identical IDF from them.
        foreach (var frequency in _documentFrequency)
        {
            writer.Write7BitEncodedInt(frequency);
        }
    }

    public static TextFeaturizer Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> magic = stackalloc byte[4];
        reader.BaseStream.ReadExactly(magic);
        if (!magic.SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a TicketTriage featurizer section (bad magic).");
        }

        var version = reader.ReadInt32();
        if (version is < 1 or > FormatVersion)
        {
            throw new InvalidDataException($"Featurizer format version {version} is not supported (expected {FormatVersion}).");
        }

        var options = new FeaturizerOptions
        {
            HashBits = reader.ReadInt32(),
            WordNgramMin = reader.ReadInt32(),
            WordNgramMax = reader.ReadInt32(),
            CharNgramMin = reader.ReadInt32(),
            CharNgramMax = reader.ReadInt32(),
            CharScope = (CharNgramScope)reader.ReadInt32(),
            SublinearTf = reader.ReadBoolean(),
            UseIdf = reader.ReadBoolean(),
            WordWeight = reader.ReadSingle(),
            CharWeight = reader.ReadSingle(),
            MinDocumentFrequency = reader.ReadInt32(),
            KeepUnseen = reader.ReadBoolean(),
            Seed = reader.ReadUInt32(),
            WordSkipWindow = reader.ReadInt32(),
        };
        if (version >= 2)
        {
            options = options with { StemWords = reader.ReadBoolean() };
        }

        options.Validate();
        var documents = reader.ReadInt32();
        var count = reader.ReadInt32();
        var buckets = new int[count];
        var previous = 0;
        for (var i = 0; i < count; i++)
        {
            previous += reader.Read7BitEncodedInt();
            buckets[i] = previous;
        }

        var frequencies = new int[count];
        for (var i = 0; i < count; i++)
        {
            frequencies[i] = reader.Read7BitEncodedInt();
        }

        return new TextFeaturizer(options, documents, buckets, frequencies);
    }
}
