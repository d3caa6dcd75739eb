using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FrontDoor.Domain;

namespace FrontDoor.Server.Infrastructure.PersonalData;

/// <summary>
/// Seals and opens the <see cref="PersonalDataAttribute"/> fields of a serialised event with AES-GCM under the data
/// subject's key. A sealed field is the text <c>pd1:</c> + base64(nonce | tag | ciphertext) of the field's JSON; the
/// associated data binds it to its subject, event type and field, so a ciphertext copied into another resident's
/// event or another field does not open.
/// </summary>
public static class SealedFields
{
    public const string Prefix = "pd1:";
    public const int KeySize = 32;

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private static readonly ConcurrentDictionary<Type, PersonalFields> FieldsByType = new();

    /// <summary>The stored (camelCase) names of a type's personal fields; empty for events without any.</summary>
    public static IReadOnlyList<string> Of(Type eventType) => FieldsOf(eventType).Names;

    /// <summary>Whether values of the type carry any personal field, which must be sealed before it is stored.</summary>
    public static bool HoldsPersonalData(Type eventType) => Of(eventType).Count > 0;

    /// <summary>
    /// Whether every personal field of the type is text. A sealed text field then deserialises as its envelope and is
    /// cleared afterwards by <see cref="BlankText"/>, without a second parse; other types (a sealed date of birth is
    /// not a date) are blanked in the JSON before deserialising.
    /// </summary>
    public static bool HasOnlyTextFields(Type eventType) => FieldsOf(eventType).AllText;

    public static void BlankText(object domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var fields = FieldsOf(domainEvent.GetType());
        if (!fields.AllText)
        {
            throw new ArgumentException($"{domainEvent.GetType().Name} has personal fields that are not text.", nameof(domainEvent));
        }

        foreach (var property in fields.Properties)
        {
            if (property.GetValue(domainEvent) is string text && text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                property.SetValue(domainEvent, null);
            }
        }
    }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    public static void Seal(JsonObject json, string eventType, IReadOnlyList<string> fields, Guid subject, byte[] key)
    {
        using var aes = new AesGcm(key, TagSize);
        foreach (var field in fields)
        {
            if (json[field] is not { } value)
            {
                continue;
            }

            var plaintext = Encoding.UTF8.GetBytes(value.ToJsonString());
            var sealedBytes = new byte[NonceSize + TagSize + plaintext.Length];
            var nonce = sealedBytes.AsSpan(0, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), AssociatedData(subject, eventType, field));
            json[field] = Prefix + Convert.ToBase64String(sealedBytes);
        }
    }

    /// <summary>
    /// Replaces each sealed field with its plaintext, or with null where the key is gone (or the text does not
    /// open): an erased field reads as absent, never as an error.
    /// </summary>
    public static void Open(JsonObject json, string eventType, IReadOnlyList<string> fields, Guid subject, byte[]? key)
    {
        using var aes = key is null ? null : new AesGcm(key, TagSize);
        foreach (var field in fields)
        {
            if (json[field] is not JsonValue value || !value.TryGetValue<string>(out var text) || !text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            json[field] = aes is null ? null : TryOpen(aes, text, subject, eventType, field);
        }
    }

    /// <summary>Leaves every sealed field null: what a reader without keys sees.</summary>
    public static void Blank(JsonObject json, IReadOnlyList<string> fields) => Open(json, string.Empty, fields, Guid.Empty, key: null);

    private static PersonalFields FieldsOf(Type eventType) => FieldsByType.GetOrAdd(eventType, static type =>
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<PersonalDataAttribute>() is not null)
            .ToArray();
        return new PersonalFields(
            properties,
            properties.Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray(),
            properties.All(p => p.PropertyType == typeof(string) && p.CanWrite));
    });

    public static bool MayHoldSealedFields(string data) => data.Contains("\"" + Prefix, StringComparison.Ordinal);

    private static JsonNode? TryOpen(AesGcm aes, string text, Guid subject, string eventType, string field)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(text[Prefix.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length < NonceSize + TagSize)
        {
            return null;
        }

        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plaintext, AssociatedData(subject, eventType, field));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return JsonNode.Parse(plaintext);
    }

    private static byte[] AssociatedData(Guid subject, string eventType, string field) =>
        Encoding.UTF8.GetBytes($"{subject:D}|{eventType}|{field}");

    /// <summary>A type's personal properties, read once: their stored names, and whether all of them are text.</summary>
    private sealed record PersonalFields(PropertyInfo[] Properties, string[] Names, bool AllText);
}
