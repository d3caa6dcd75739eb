using FrontDoor.Server.Infrastructure.Store;
using Marten;
using Wolverine;
using Wolverine.Marten;
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
/// Reactions as Wolverine messages in Wolverine's PostgreSQL outbox, written by the Marten session that commits the
/// append (Wolverine's own Marten outbox): at least once and never lost, on the durable local queue of their handler,
/// which decides from the streams as they stand (so a message handled twice, or after a later one, changes nothing
/// twice).
/// <para>
/// Why rules rather than Wolverine's event forwarding (<c>SubscribeToEvent&lt;T&gt;().TransformedTo(...)</c>): a
/// forwarding transform turns every event of a type into exactly one message sent now, while a reaction may be
/// conditional (a contact received with nobody to route to yet causes nothing) or come due later (a deadline, a
/// retention date). Both ride the same outbox in the same transaction.
/// </para>
/// </summary>
public sealed class WolverineAppendOutbox : IAppendOutbox
{
    private readonly IServiceProvider _services;
    private readonly Dictionary<Type, ReactionRule[]> _rules;

    public WolverineAppendOutbox(IServiceProvider services, IEnumerable<ReactionRule> rules)
    {
        _services = services;
        _rules = rules.GroupBy(r => r.EventType).ToDictionary(g => g.Key, g => g.ToArray());
    }

    public async Task<bool> EnlistAsync(IDocumentSession session, IReadOnlyList<AppendedEvent> appended, CancellationToken cancellationToken)
    {
        MartenOutbox? outbox = null;
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

                // Wolverine is resolved on the first reaction, not with the log: the log opens while the host starts,
                // before Wolverine's runtime exists. Its envelopes join the session's batch, and it sends them to the
                // local queues once the session has committed.
                outbox ??= new MartenOutbox(_services.GetRequiredService<IWolverineRuntime>(), session);
                if (reaction.At is { } at)
                {
                    await outbox.ScheduleAsync(reaction.Message, at).ConfigureAwait(false);
                }
                else
                {
                    await outbox.PublishAsync(reaction.Message).ConfigureAwait(false);
                }
            }
        }

        return outbox is not null;
    }
}
