using System.Security.Cryptography;
using System.Text;

namespace FrontDoor.Domain;

/// <summary>
/// Name-based ids: the same parts always give the same Guid, so a redelivered event or a racing
/// request produces the same stream id and the event store's uniqueness check does the de-duplication.
/// </summary>
public static class DeterministicId
{
    public static Guid From(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
        {
            throw new ArgumentException("At least one part is required.", nameof(parts));
        }

        // Length-prefixing each part keeps ("ab", "c") and ("a", "bc") distinct.
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
            builder.Append(part.Length).Append(':').Append(part).Append('|');
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()), hash);
        var bytes = hash[..16];

        // RFC 9562 version 8 (custom hash-based) with the standard variant bits, so the value is a
        // well-formed UUID that cannot be mistaken for a random (v4) one.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
