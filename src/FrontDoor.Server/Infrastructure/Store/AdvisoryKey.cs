using System.Security.Cryptography;
using System.Text;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>Stable 64-bit advisory lock keys; the schema is part of the key so stores in different schemas never contend.</summary>
internal static class AdvisoryKey
{
    public static long For(string purpose, string schema, string name = "")
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"frontdoor:{purpose}:{schema}:{name}"));
        return BitConverter.ToInt64(hash, 0);
    }
}
