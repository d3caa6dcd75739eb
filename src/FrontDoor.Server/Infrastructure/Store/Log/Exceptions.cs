namespace FrontDoor.Server.Infrastructure.Store;

public class EventLogException : Exception
{
    public EventLogException(string message)
        : base(message)
    {
    }

    public EventLogException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The stream was not at the version the writer expected; nothing was appended.</summary>
public sealed class WrongExpectedVersionException : EventLogException
{
    public WrongExpectedVersionException(string streamId, ExpectedVersion expected, long actualVersion)
        : base($"Stream '{streamId}' was expected at version {expected} but is at version {actualVersion}.")
    {
        StreamId = streamId;
        Expected = expected;
        ActualVersion = actualVersion;
    }

    public string StreamId { get; }

    public ExpectedVersion Expected { get; }

    /// <summary>The stream's version when the append was refused (0 when the stream does not exist).</summary>
    public long ActualVersion { get; }
}

/// <summary>
/// Some, but not all, of the events of an append are already in the stream: it is neither a new append nor a
/// retry of an earlier one, so refusing it is the only answer that loses nothing.
/// </summary>
public sealed class PartialDuplicateAppendException : EventLogException
{
    public PartialDuplicateAppendException(string streamId)
        : base($"Some but not all events of this append are already in stream '{streamId}'.")
    {
        StreamId = streamId;
    }

    public string StreamId { get; }
}
