using System.Text.Json;
using System.Text.Json.Serialization;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>Metadata travels as a small JSON object with fixed, short property names.</summary>
public static class EventMetadataJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(EventMetadata metadata) => JsonSerializer.Serialize(metadata, Options);

    public static EventMetadata Deserialize(string? json) =>
        string.IsNullOrEmpty(json) ? EventMetadata.Empty : JsonSerializer.Deserialize<EventMetadata>(json, Options) ?? EventMetadata.Empty;
}
