using FrontDoor.Server.Infrastructure.Store;
using Npgsql;
using Wolverine;
using Wolverine.Persistence.Durability;
using Wolverine.RDBMS;
using Wolverine.Runtime;

namespace FrontDoor.Server.Infrastructure.Messaging;

/// <summary>A message an appended event causes: handled as soon as the append commits, or at <see cref="At"/>.</summary>
public sealed record Reaction(object Message, DateTimeOffset? At = null)
{
    public static Reaction Now(object message) => new(message);

    public static Reaction AtTime(object message, DateTimeOffset at) => new(message, at);
}

/// <summary>One rule: the <see cref="MessageType"/> an event of <see cref="EventType"/> causes, if any.</summary>
public sealed record ReactionRule(Type EventType, Type MessageType, Func<IServiceProvider, object, AppendedEvent, Reaction?> React);

public static class ReactionRegistration
{
    /// <summary>
    /// Every append of a <typeparamref name="TEvent"/> records the <typeparamref name="TMessage"/> that
    /// <paramref name="react"/> returns, if any.
    /// </summary>
    public static IServiceCollection AddReaction<TEvent, TMessage>(this IServiceCollection services, Func<IServiceProvider, TEvent, AppendedEvent, Reaction?> react)
        where TEvent : class
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(react);
        return services.AddSingleton(new ReactionRule(typeof(TEvent), typeof(TMessage), (provider, e, appended) => react(provider, (TEvent)e, appended) switch
        {
            null => null,
            { Message: TMessage } reaction => reaction,
            var other => throw new InvalidOperationException($"A reaction to {typeof(TEvent).Name} registered for {typeof(TMessage).Name} returned {other.Message.GetType().Name}."),
        }));
    }
}

/// <summary>
/// Reactions as Wolverine messages in Wolverine's PostgreSQL outbox, written in the append's transaction: at least once
/// and never lost, on the durable local queue of their handler, which decides from the streams as they stand (so a
/// message handled twice, or after a later one, changes nothing twice).
/// </summary>
public sealed partial class WolverineAppendOutbox : IAppendOutbox
{
    private readonly IServiceProvider _services;
    private readonly ILogger<WolverineAppendOutbox> _logger;
    private readonly Dictionary<Type, ReactionRule[]> _rules;

    public WolverineAppendOutbox(IServiceProvider services, IEnumerable<ReactionRule> rules, ILogger<WolverineAppendOutbox> logger)
    {
        _services = services;
        _logger = logger;
        _rules = rules.GroupBy(r => r.EventType).ToDictionary(g => g.Key, g => g.ToArray());
    }

    public async Task<Func<Task>?> EnlistAsync(NpgsqlTransaction transaction, IReadOnlyList<AppendedEvent> appended, CancellationToken cancellationToken)
    {
        MessageContext? messages = null;
        EnvelopesOfOneAppend? envelopes = null;
        foreach (var @event in appended)
        {
            if (!_rules.TryGetValue(@event.Event.Event.GetType(), out var rules))
            {
                continue;
            }

            foreach (var rule in rules)
            {
                if (rule.React(_services, @event.Event.Event, @event) is not { } reaction)
                {
                    continue;
                }

                if (messages is null)
                {
                    // Wolverine is resolved on the first reaction, not with the log: the log opens while the host starts,
                    // before Wolverine's runtime exists.
                    messages = new MessageContext(_services.GetRequiredService<IWolverineRuntime>());
                    envelopes = new EnvelopesOfOneAppend();
                    await messages.EnlistInOutboxAsync(envelopes).ConfigureAwait(false);
                }

                if (reaction.At is { } at)
                {
                    await messages.ScheduleAsync(reaction.Message, at).ConfigureAwait(false);
                }
                else
                {
                    await messages.PublishAsync(reaction.Message).ConfigureAwait(false);
                }
            }
        }

        if (messages is null)
        {
            return null;
        }

        // One statement for every message of the append, in its transaction (Wolverine would write one per message).
        await envelopes!.StoreAsync((IMessageDatabase)messages.Runtime.Storage, transaction).ConfigureAwait(false);
        return () => SendAsync(messages);
    }

    /// <summary>
    /// Sends what committed to the local queues now. Should that fail, nothing is lost: the messages are stored as this
    /// node's, and Wolverine's durability agent recovers them when the node restarts or another takes over its work.
    /// </summary>
    private async Task SendAsync(MessageContext messages)
    {
        try
        {
            await messages.FlushOutgoingMessagesAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogSendFailed(_logger, ex);
        }
    }

    /// <summary>Collects what Wolverine would store message by message, to store it in one statement.</summary>
    private sealed class EnvelopesOfOneAppend : IEnvelopeTransaction
    {
        private readonly List<Envelope> _incoming = [];
        private readonly List<Envelope> _outgoing = [];

        public Task PersistOutgoingAsync(Envelope envelope)
        {
            _outgoing.Add(envelope);
            return Task.CompletedTask;
        }

        public Task PersistOutgoingAsync(Envelope[] envelopes)
        {
            _outgoing.AddRange(envelopes);
            return Task.CompletedTask;
        }

        public Task PersistIncomingAsync(Envelope envelope)
        {
            _incoming.Add(envelope);
            return Task.CompletedTask;
        }

        public ValueTask RollbackAsync() => ValueTask.CompletedTask;

        public Task<bool> TryMakeEagerIdempotencyCheckAsync(Envelope envelope, DurabilitySettings settings, CancellationToken cancellation) =>
            Task.FromResult(false);

        public async Task StoreAsync(IMessageDatabase database, NpgsqlTransaction transaction)
        {
            if (_incoming.Count > 0)
            {
                await database.StoreIncomingAsync(transaction, [.. _incoming]).ConfigureAwait(false);
            }

            if (_outgoing.Count > 0)
            {
                await database.StoreOutgoingAsync(transaction, [.. _outgoing]).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Reactions committed with an append could not be sent at once; they are stored and will be recovered")]
    private static partial void LogSendFailed(ILogger logger, Exception ex);
}
