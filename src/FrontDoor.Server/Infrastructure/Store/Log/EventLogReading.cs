using System.Runtime.CompilerServices;

namespace FrontDoor.Server.Infrastructure.Store;

public static class EventLogReading
{
    /// <summary>
    /// Every event up to <paramref name="upTo"/> (or the head, if lower), in position order, the way a subscriber reads:
    /// page after page, waiting briefly when a hole has not yet been proved filled or empty.
    /// </summary>
    public static IAsyncEnumerable<RecordedEvent> ReadAllUpToAsync(this IEventLog store, long upTo, CancellationToken cancellationToken = default) =>
        store.ReadAllBetweenAsync(0, upTo, cancellationToken);

    /// <summary>Every event after <paramref name="after"/> and up to <paramref name="upTo"/> (or the head, if lower), read as <see cref="ReadAllUpToAsync"/> does.</summary>
    public static async IAsyncEnumerable<RecordedEvent> ReadAllBetweenAsync(
        this IEventLog store,
        long after,
        long upTo,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var head = Math.Min(upTo, await store.ReadHeadPositionAsync(cancellationToken).ConfigureAwait(false));
        while (after < head)
        {
            var waiter = store.Appended.Waiter;
            var page = await store.ReadAllAsync(after, 1000, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                await AppendSignal.WaitAsync(waiter, TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var recorded in page)
            {
                if (recorded.Position > head)
                {
                    yield break;
                }

                yield return recorded;
            }

            after = page[^1].Position;
        }
    }
}
