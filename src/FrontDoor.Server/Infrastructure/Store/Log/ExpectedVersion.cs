namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>
/// What the writer believes about a stream before appending. Stream versions are 1-based:
/// a stream with three events is at version 3, and a stream that does not exist is at version 0.
/// </summary>
public readonly record struct ExpectedVersion
{
    private const long AnyValue = -1;
    private const long StreamExistsValue = -2;

    private ExpectedVersion(long value) => Value = value;

    /// <summary>The raw value: a version (0 = no stream), or a negative sentinel.</summary>
    public long Value { get; }

    public static ExpectedVersion Any { get; } = new(AnyValue);

    public static ExpectedVersion NoStream { get; } = new(0);

    public static ExpectedVersion StreamExists { get; } = new(StreamExistsValue);

    public static ExpectedVersion Exact(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new ExpectedVersion(version);
    }

    public bool IsAny => Value == AnyValue;

    public bool IsStreamExists => Value == StreamExistsValue;

    public bool IsExact => Value >= 0;

    /// <summary>True when a stream currently at <paramref name="actualVersion"/> satisfies this expectation.</summary>
    public bool IsSatisfiedBy(long actualVersion) => Value switch
    {
        AnyValue => true,
        StreamExistsValue => actualVersion > 0,
        _ => actualVersion == Value,
    };

    public override string ToString() => Value switch
    {
        AnyValue => "any",
        StreamExistsValue => "stream-exists",
        0 => "no-stream",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
