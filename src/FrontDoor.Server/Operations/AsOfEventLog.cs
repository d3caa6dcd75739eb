using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Operations;

/// <summary>
/// The log as it stood at a position: every read stops there. Anything folded through it — a contact, a queue — is
/// exactly what it was then, because all state is derived from the log.
/// </summary>
public sealed class AsOfEventLog(IEventLog inner, long position) : IEventLog
{
    public AppendSignal Appended => inner.Appended;

    public Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("The past cannot be appended to.");

    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, CancellationToken cancellationToken = default) =>
        (await inner.ReadStreamAsync(streamId, fromVersion, maxCount, cancellationToken).ConfigureAwait(false)).Where(e => e.Position <= position).ToList();

    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default) =>
        afterPosition >= position
            ? []
            : (await inner.ReadAllAsync(afterPosition, maxCount, cancellationToken).ConfigureAwait(false)).Where(e => e.Position <= position).ToList();

    public async Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default) =>
        Math.Min(position, await inner.ReadHeadPositionAsync(cancellationToken).ConfigureAwait(false));

    public async Task<long> ReadStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        var events = await ReadStreamAsync(streamId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return events.Count == 0 ? 0 : events[^1].StreamVersion;
    }
}
