using System.Text.Json;
using FrontDoor.Domain;

namespace FrontDoor.Domain.Tests.Support;

/// <summary>Given events, when a command runs at a point in time, then these events, this error, or nothing.</summary>
internal sealed class Scenario<TState, TCommand>
{
    private readonly Func<IEnumerable<object>, TState> fold;
    private readonly Func<TState, TCommand, DateTimeOffset, IReadOnlyList<object>> decide;
    private readonly List<object> history = [];
    private DateTimeOffset now = Times.Now;

    public Scenario(
        Func<IEnumerable<object>, TState> fold,
        Func<TState, TCommand, DateTimeOffset, IReadOnlyList<object>> decide)
    {
        this.fold = fold;
        this.decide = decide;
    }

    public Scenario<TState, TCommand> Given(params object[] events)
    {
        history.AddRange(events);
        return this;
    }

    public Scenario<TState, TCommand> At(DateTimeOffset at)
    {
        now = at;
        return this;
    }

    public Outcome<TState> When(TCommand command)
    {
        var before = fold(history);
        try
        {
            var produced = decide(before, command, now);
            return new Outcome<TState>(produced, fold(history.Concat(produced)), null);
        }
        catch (DomainException ex)
        {
            return new Outcome<TState>([], before, ex);
        }
    }
}

internal sealed class Outcome<TState>
{
    public Outcome(IReadOnlyList<object> events, TState state, DomainException? error)
    {
        Events = events;
        State = state;
        Error = error;
    }

    public IReadOnlyList<object> Events { get; }

    /// <summary>The state after the produced events are folded in (or the unchanged state on error).</summary>
    public TState State { get; }

    public DomainException? Error { get; }

    public Outcome<TState> Then(params object[] expected)
    {
        Assert.Null(Error);
        Assert.Equal(Describe(expected), Describe(Events));
        return this;
    }

    public Outcome<TState> ThenNothing()
    {
        Assert.Null(Error);
        Assert.Empty(Events);
        return this;
    }

    public DomainException ThenFails(string code)
    {
        var error = Assert.IsType<DomainException>(Error);
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }

    // Records holding lists compare by reference, so events are compared by stored name plus JSON,
    // which is also exactly what persistence would keep.
    private static List<string> Describe(IEnumerable<object> events) =>
        events.Select(e => $"{DomainEvents.TypeNameOf(e)} {JsonSerializer.Serialize(e, e.GetType())}").ToList();
}
