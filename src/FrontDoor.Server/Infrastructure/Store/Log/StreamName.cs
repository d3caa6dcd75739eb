namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>Streams are named <c>{category}-{id}</c>; the category is everything before the first dash.</summary>
public static class StreamName
{
    public const int MaxLength = 200;

    public static string For(string category, Guid id) => For(category, id.ToString("N"));

    public static string For(string category, string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (category.Contains('-', StringComparison.Ordinal))
        {
            throw new ArgumentException("A category may not contain a dash.", nameof(category));
        }

        return $"{category}-{id}";
    }

    public static string CategoryOf(string streamId)
    {
        var dash = streamId.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? streamId : streamId[..dash];
    }

    public static string IdOf(string streamId)
    {
        var dash = streamId.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? string.Empty : streamId[(dash + 1)..];
    }

    internal static void Validate(string streamId)
    {
        if (string.IsNullOrWhiteSpace(streamId))
        {
            throw new ArgumentException("A stream id is required.", nameof(streamId));
        }

        if (streamId.Length > MaxLength)
        {
            throw new ArgumentException($"A stream id is at most {MaxLength} characters.", nameof(streamId));
        }

        var dash = streamId.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash == streamId.Length - 1)
        {
            throw new ArgumentException($"Stream id '{streamId}' is not of the form {{category}}-{{id}}.", nameof(streamId));
        }
    }
}
