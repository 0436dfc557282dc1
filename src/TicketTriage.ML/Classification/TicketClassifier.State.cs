using System.Numerics.Tensors;
using System.Text;
using TicketTriage.ML.Text;

namespace TicketTriage.ML.Classification;

// The classifier's versioned binary file format.
public sealed partial class TicketClassifier : ITextClassifier
{
    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = File.Create(path);
        Save(stream);
    }

    public static TicketClassifier Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>
    /// File layout (little-endian): "TTCM", version, classes, temperature, threshold, abstain score kind (from
    /// version 2), the training settings Update
    /// needs, the featurizer section, then the weight table (features × classes, float32) and the bias.
    /// </summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(_classes.Count);
        foreach (var c in _classes)
        {
            writer.Write(c);
        }

        writer.Write(Temperature);
        writer.Write(AbstainThreshold);
        writer.Write((int)AbstainScore);
        writer.Write(Options.LearningRate);
        writer.Write(Options.L2);
        writer.Write(Options.Seed);
        Featurizer.Write(writer);
        _model.Write(writer);
    }

    public static TicketClassifier Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        Span<byte> magic = stackalloc byte[4];
        reader.BaseStream.ReadExactly(magic);
        if (!magic.SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a TicketTriage classifier file (bad magic).");
        }

        var version = reader.ReadInt32();
        if (version is < 1 or > FormatVersion)
        {
            throw new InvalidDataException($"Classifier format version {version} is not supported (expected 1..{FormatVersion}).");
        }

        var classCount = reader.ReadInt32();
        var classes = new List<string>(classCount);
        for (var i = 0; i < classCount; i++)
        {
            classes.Add(reader.ReadString());
        }

        var temperature = reader.ReadSingle();
        var threshold = reader.ReadSingle();
        // Version 1 files predate the open-set scores: their threshold is on the calibrated confidence.
        var abstainScore = version >= 2 ? (OpenSetScore)reader.ReadInt32() : OpenSetScore.MaxProbability;
        if (!Enum.IsDefined(abstainScore))
        {
            throw new InvalidDataException($"Classifier file names an unknown abstain score ({(int)abstainScore}).");
        }

        var options = new ClassifierOptions { LearningRate = reader.ReadSingle(), L2 = reader.ReadSingle(), Seed = reader.ReadInt32() };
        var featurizer = TextFeaturizer.Read(reader);
        var model = LinearModel.Read(reader);
        if (model.Classes != classCount || model.Features != featurizer.VocabularySize)
        {
            throw new InvalidDataException("Classifier file is inconsistent: weight table does not match classes or vocabulary.");
        }

        return new TicketClassifier(featurizer, classes, model, options with { AbstainScore = abstainScore }, temperature, threshold) { AbstainScore = abstainScore };
    }
}
