using System.Numerics.Tensors;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// One need's logistic regression over sentence embeddings: which directions of meaning say "this need", learnt
/// from the tune corpus. Small enough to train at start-up in a fraction of a second, so the corpus stays the one
/// thing to edit; no trained weights are stored anywhere.
/// </summary>
public sealed class NeedClassifier
{
    /// <summary>L2 penalty: with ~30 positives in 384 dimensions, unpenalised weights would memorise the examples.</summary>
    private const float Penalty = 0.002f;

    private const int Steps = 400;

    /// <summary>Inputs are unit vectors, so the loss's gradient is 1/4-Lipschitz plus the penalty; 2 is a safe, fast step.</summary>
    private const float StepSize = 2f;

    private readonly float[] _weights;
    private readonly float _bias;

    private NeedClassifier(float[] weights, float bias)
    {
        _weights = weights;
        _bias = bias;
    }

    /// <summary>
    /// Trains on <paramref name="vectors"/> labelled +1 (the need), 0 (not the need) or null (defensible either way:
    /// left out). Positives are weighted up to the negatives' total, so a rare need is not learnt as "never".
    /// </summary>
    public static NeedClassifier Train(IReadOnlyList<float[]> vectors, IReadOnlyList<bool?> labels)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(labels);
        var used = Enumerable.Range(0, vectors.Count).Where(i => labels[i] is not null).ToList();
        var positives = used.Count(i => labels[i] == true);
        var negatives = used.Count - positives;
        var dimensions = vectors[0].Length;
        var weights = new float[dimensions];
        float bias = 0;
        if (positives == 0 || negatives == 0)
        {
            return new NeedClassifier(weights, positives == 0 ? -10 : 10);
        }

        var positiveWeight = (float)negatives / positives;
        var total = 2f * negatives;
        var gradient = new float[dimensions];
        for (var step = 0; step < Steps; step++)
        {
            Array.Clear(gradient);
            float biasGradient = 0;
            foreach (var i in used)
            {
                var x = vectors[i];
                var p = Sigmoid(TensorPrimitives.Dot(weights, x) + bias);
                var target = labels[i] == true ? 1f : 0f;
                var error = (p - target) * (labels[i] == true ? positiveWeight : 1f) / total;
                TensorPrimitives.MultiplyAdd(x, error, gradient, gradient);
                biasGradient += error;
            }

            TensorPrimitives.Multiply(weights, 1 - (StepSize * Penalty), weights);
            TensorPrimitives.MultiplyAdd(gradient, -StepSize, weights, weights);

            bias -= StepSize * biasGradient;
        }

        return new NeedClassifier(weights, bias);
    }

    /// <summary>How strongly the embedded text suggests the need, 0–1.</summary>
    public double Score(float[] vector) => Sigmoid(TensorPrimitives.Dot(_weights, vector) + _bias);

    private static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
}
