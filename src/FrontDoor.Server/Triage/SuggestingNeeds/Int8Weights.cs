using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// Rewrites the sentence model so its weights are held as 8-bit integers: the model is about 90 MB as 32-bit floats,
/// almost all of it the word-embedding table (47 MB) and the encoder's matrix products (42 MB).
/// <list type="bullet">
/// <item>Each matrix product with a constant weight becomes ONNX Runtime's <c>DynamicQuantizeMatMul</c>: the weight
/// is stored as int8 with a scale per output column, and the activations are quantised per call. That is also the
/// faster product on a CPU with 8-bit dot-product instructions.</item>
/// <item>The word-embedding table is stored as int8 with a scale per row (per word), and only the rows a text uses
/// are turned back into floats. A row's scale is its own largest value, so nothing measurable is lost.</item>
/// </list>
/// Symmetric quantisation (zero point 0, values in ±127) keeps every weight's sign and zero exact.
/// </summary>
public static class Int8Weights
{
    private const int FloatType = (int)TensorProto.Types.DataType.Float;
    private const int Int8Type = (int)TensorProto.Types.DataType.Int8;

    /// <summary>A word-embedding table is the one large constant a <c>Gather</c> reads: tens of thousands of rows.</summary>
    private const long VocabularyRows = 10_000;

    public static ModelProto Quantize(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var quantized = model.Clone();
        var graph = quantized.Graph;
        // A constant read by more than one node stays as it is: rewriting it for one reader would take it from the others.
        var readers = graph.Node.SelectMany(n => n.Input).CountBy(name => name, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var constants = graph.Initializer.Where(i => readers.GetValueOrDefault(i.Name) == 1).ToDictionary(i => i.Name, StringComparer.Ordinal);
        if (!quantized.OpsetImport.Any(o => o.Domain == "com.microsoft"))
        {
            quantized.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        }

        var nodes = new List<NodeProto>(graph.Node.Count);
        foreach (var node in graph.Node)
        {
            if (node.OpType == "MatMul" && IsFloatMatrix(constants, node.Input[1], out var weight))
            {
                nodes.Add(QuantizeProduct(graph, node, weight));
            }
            else if (node.OpType == "Gather" && IsFloatMatrix(constants, node.Input[0], out var table) && table.Dims[0] >= VocabularyRows)
            {
                nodes.AddRange(QuantizeLookup(graph, node, table));
            }
            else
            {
                nodes.Add(node);
            }
        }

        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        return quantized;
    }

    /// <summary>The bytes the model's weights take, whatever their type: what the rewrite is for.</summary>
    public static long WeightBytes(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Graph.Initializer.Sum(i => i.RawData.Length > 0 ? i.RawData.Length : (long)i.FloatData.Count * sizeof(float));
    }

    private static bool IsFloatMatrix(Dictionary<string, TensorProto> constants, string name, out TensorProto matrix) =>
        constants.TryGetValue(name, out matrix!) && matrix.Dims.Count == 2 && matrix.DataType == FloatType;

    private static NodeProto QuantizeProduct(GraphProto graph, NodeProto node, TensorProto weight)
    {
        var (rows, columns) = ((int)weight.Dims[0], (int)weight.Dims[1]);
        var (quantized, scales) = ToInt8(FloatsOf(weight), rows, columns, scalePerRow: false);
        graph.Initializer.Remove(weight);
        graph.Initializer.Add(Int8Tensor(weight.Name + ".int8", quantized, rows, columns));
        graph.Initializer.Add(FloatTensor(weight.Name + ".scale", scales, columns));
        graph.Initializer.Add(Int8Tensor(weight.Name + ".zero", new byte[columns], columns));
        return new NodeProto
        {
            OpType = "DynamicQuantizeMatMul",
            Domain = "com.microsoft",
            Name = node.Name + ".int8",
            Input = { node.Input[0], weight.Name + ".int8", weight.Name + ".scale", weight.Name + ".zero" },
            Output = { node.Output[0] },
        };
    }

    /// <summary>Gather the int8 rows and their scales for the ids asked for, cast, and scale: rows × scale per row.</summary>
    private static NodeProto[] QuantizeLookup(GraphProto graph, NodeProto node, TensorProto table)
    {
        var (rows, columns) = ((int)table.Dims[0], (int)table.Dims[1]);
        var (quantized, scales) = ToInt8(FloatsOf(table), rows, columns, scalePerRow: true);

        graph.Initializer.Remove(table);
        graph.Initializer.Add(Int8Tensor(table.Name + ".int8", quantized, rows, columns));

        // [rows, 1], so the gathered scales broadcast over each row's columns.
        graph.Initializer.Add(FloatTensor(table.Name + ".scale", scales, rows, 1));
        var ids = node.Input[1];
        var output = node.Output[0];
        return
        [
            new NodeProto { OpType = "Gather", Name = node.Name + ".int8", Input = { table.Name + ".int8", ids }, Output = { output + ".int8" } },
            new NodeProto
            {
                OpType = "Cast",
                Name = node.Name + ".cast",
                Input = { output + ".int8" },
                Output = { output + ".unscaled" },
                Attribute = { new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = FloatType } },
            },
            new NodeProto { OpType = "Gather", Name = node.Name + ".scale", Input = { table.Name + ".scale", ids }, Output = { output + ".scale" } },
            new NodeProto { OpType = "Mul", Name = node.Name + ".scaled", Input = { output + ".unscaled", output + ".scale" }, Output = { output } },
        ];
    }

    /// <summary>
    /// A row-major matrix as int8, symmetric, with one scale per row or per column: the largest magnitude in it maps
    /// to 127. An all-zero row or column keeps scale 1, so no division by zero; its values are all 0 anyway.
    /// </summary>
    private static (byte[] Values, float[] Scales) ToInt8(float[] values, int rows, int columns, bool scalePerRow)
    {
        var scales = new float[scalePerRow ? rows : columns];
        for (var i = 0; i < values.Length; i++)
        {
            var at = scalePerRow ? i / columns : i % columns;
            scales[at] = Math.Max(scales[at], Math.Abs(values[i]));
        }

        for (var at = 0; at < scales.Length; at++)
        {
            scales[at] = scales[at] == 0 ? 1 : scales[at] / 127f;
        }

        var quantized = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var scale = scales[scalePerRow ? i / columns : i % columns];
            quantized[i] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(values[i] / scale), -127, 127));
        }

        return (quantized, scales);
    }

    private static float[] FloatsOf(TensorProto tensor) =>
        tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];

    private static TensorProto Int8Tensor(string name, byte[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = Int8Type, RawData = ByteString.CopyFrom(values) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = FloatType, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
