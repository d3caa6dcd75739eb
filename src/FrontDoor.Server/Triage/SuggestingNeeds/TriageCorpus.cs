using System.Text.Json;
using System.Text.Json.Serialization;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// One labelled contact summary: the needs a triage officer must tick, and those that are defensible but not
/// required (suggesting them is not wrong, missing them is not a miss). See data/triage/LABELLING.md.
/// </summary>
public sealed record CorpusExample(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("needs")] IReadOnlyList<string> Needs,
    [property: JsonPropertyName("alsoFine")] IReadOnlyList<string> AlsoFine);

/// <summary>The project's triage corpus. The tune set ships inside the server (its examples are what the model compares with); the held-out set never does.</summary>
public static class TriageCorpus
{
    public static IReadOnlyList<CorpusExample> Tune { get; } = LoadEmbedded("FrontDoor.Triage.tune.jsonl");

    public static IReadOnlyList<CorpusExample> Read(Stream jsonLines)
    {
        using var reader = new StreamReader(jsonLines);
        var examples = new List<CorpusExample>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim().Length > 0)
            {
                examples.Add(JsonSerializer.Deserialize<CorpusExample>(line) ?? throw new InvalidDataException("An empty line in the triage corpus."));
            }
        }

        return examples;
    }

    private static IReadOnlyList<CorpusExample> LoadEmbedded(string name)
    {
        using var stream = typeof(TriageCorpus).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The triage corpus {name} is not inside the server assembly.");
        return Read(stream);
    }
}
