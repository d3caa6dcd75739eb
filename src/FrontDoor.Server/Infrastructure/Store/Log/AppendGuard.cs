namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>What the log refuses before it touches storage.</summary>
public static class AppendGuard
{
    public static void Validate(string streamId, IReadOnlyList<EventData> events)
    {
        StreamName.Validate(streamId);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }

        var ids = new HashSet<Guid>();
        foreach (var e in events)
        {
            if (e.EventId == Guid.Empty)
            {
                throw new ArgumentException("Every event needs an id.", nameof(events));
            }

            if (!ids.Add(e.EventId))
            {
                throw new ArgumentException($"Event id {e.EventId} appears twice in one append.", nameof(events));
            }

            if (string.IsNullOrWhiteSpace(e.Type))
            {
                throw new ArgumentException("Every event needs a stored type name.", nameof(events));
            }
        }
    }

    /// <summary>
    /// Decides what an append whose ids may already be stored means: all stored at the tail of one earlier append is a
    /// retry (return its result), none stored is a real conflict, anything else is refused.
    /// </summary>
    public static AppendResult? ResultOfRetry(string streamId, IReadOnlyList<EventData> events, IReadOnlyList<(Guid EventId, long Version, long Position)> stored)
    {
        if (stored.Count == 0)
        {
            return null;
        }

        if (stored.Count != events.Count)
        {
            throw new PartialDuplicateAppendException(streamId);
        }

        var last = stored.MaxBy(s => s.Version);
        return new AppendResult(last.Version, last.Position);
    }
}
