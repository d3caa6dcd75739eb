namespace FrontDoor.Domain;

internal static class Guard
{
    public static void Actor(string? actor)
    {
        if (string.IsNullOrWhiteSpace(actor))
        {
            throw new DomainException("actor.required", "Every change must say who made it, so an actor is required.");
        }
    }

    public static void Id(Guid id, string code, string what)
    {
        if (id == Guid.Empty)
        {
            throw new DomainException(code, $"A {what} id is required.");
        }
    }

    /// <summary>Trims, lower-cases and de-duplicates codes while keeping the order they were given in.</summary>
    public static IReadOnlyList<string> Codes(IEnumerable<string>? codes)
    {
        if (codes is null)
        {
            return [];
        }

        var result = new List<string>();
        foreach (var code in codes)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                continue;
            }

            var normalised = code.Trim().ToLowerInvariant();
            if (!result.Contains(normalised))
            {
                result.Add(normalised);
            }
        }

        return result;
    }
}
