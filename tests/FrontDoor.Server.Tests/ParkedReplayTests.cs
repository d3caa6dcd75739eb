using System.Collections.Concurrent;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Infrastructure.Subscriptions;
using FrontDoor.Server.Operations;
using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDoor.Server.Tests;

/// <summary>
/// The <c>parked list / replay</c> commands against a handler that cannot process an event until it is fixed: the
/// event is parked, listed, and once fixed, replayed by the node that runs the subscription until nothing is left.
/// </summary>
public sealed class ParkedReplayTests
{
    private const string Subscription = "contact-letters";

    [Fact]
    public async Task On_postgres_parked_replay_drains_through_the_running_node()
    {
        var letters = new LetterWriter();
        var app = await FrontDoorApp.StartAsync("postgres", services: s => Register(s, letters));
        try
        {
            var api = await Api.ForAsync(app);
            var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Needs a letter."));
            await Eventually.True(async () => (await app.Connection.Subscriptions.ListParkedAsync(Subscription)).Count == 1, "the contact's event is parked");

            // Parked, not stuck: the subscription went on past it.
            var head = await app.Store.ReadHeadPositionAsync();
            await app.Subscriptions.WaitForCheckpointAsync(head, TimeSpan.FromSeconds(30), [Subscription]);
            var listed = await Frontdoor.RunAsync(app, "parked", "list", "--subscription", Subscription);
            Assert.Contains("contact-received.v1", listed, StringComparison.Ordinal);
            Assert.Contains("1 parked event(s).", listed, StringComparison.Ordinal);

            letters.Fixed = true;
            Assert.Contains("1 parked event(s) will be replayed", await Frontdoor.RunAsync(app, "parked", "replay", Subscription), StringComparison.Ordinal);
            await Eventually.True(async () => (await app.Connection.Subscriptions.ListParkedAsync(Subscription)).Count == 0, "the parked event is replayed");
            Assert.Contains(contactId, letters.Written);
            Assert.Contains("0 parked event(s).", await Frontdoor.RunAsync(app, "parked", "list", "--subscription", Subscription), StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_replay_requested_while_the_node_is_stopped_drains_when_it_starts()
    {
        var broken = new LetterWriter();
        var app = await FrontDoorApp.StartAsync("postgres", services: s => Register(s, broken));
        FrontDoorApp? restarted = null;
        try
        {
            var api = await Api.ForAsync(app);
            var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Needs a letter."));
            await Eventually.True(async () => (await app.Connection.Subscriptions.ListParkedAsync(Subscription)).Count == 1, "the contact's event is parked");
            app.KeepData = true;
            await app.DisposeAsync();

            Assert.Contains("contact-received.v1", await Frontdoor.RunAsync(app, "parked", "list"), StringComparison.Ordinal);
            Assert.Contains("1 parked event(s) will be replayed", await Frontdoor.RunAsync(app, "parked", "replay", Subscription), StringComparison.Ordinal);

            var fixedWriter = new LetterWriter { Fixed = true };
            restarted = await app.RestartedAsync(s => Register(s, fixedWriter));
            await Eventually.True(async () => (await restarted.Connection.Subscriptions.ListParkedAsync(Subscription)).Count == 0, "the parked event is replayed");
            Assert.Contains(contactId, fixedWriter.Written);
            Assert.Empty(broken.Written);
        }
        finally
        {
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }

            await app.DisposeAsync();
            await app.DeleteDataAsync();
        }
    }

    private static void Register(IServiceCollection services, LetterWriter letters)
    {
        services.AddSingleton(letters);
        services.AddSubscription<LetterHandler>(Subscription);
    }

    /// <summary>Stands for a downstream system that is broken until a fix is deployed.</summary>
    public sealed class LetterWriter
    {
        private volatile bool _fixed;

        public bool Fixed
        {
            get => _fixed;
            set => _fixed = value;
        }

        public ConcurrentBag<Guid> Written { get; } = [];
    }

    public sealed class LetterHandler(LetterWriter writer) : ISubscriptionHandler
    {
        public ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
        {
            if (recordedEvent.Type != "contact-received.v1")
            {
                return ValueTask.CompletedTask;
            }

            if (!writer.Fixed)
            {
                throw new InvalidOperationException("The letter service is unavailable.");
            }

            writer.Written.Add(Guid.Parse(StreamName.IdOf(recordedEvent.StreamId)));
            return ValueTask.CompletedTask;
        }
    }
}
