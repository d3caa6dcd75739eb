using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Events;

namespace FrontDoor.Benchmarks;

/// <summary>
/// The per-event work of every subscription and rebuild: turning a stored event into a domain event and folding it,
/// against the raw cost of parsing the same JSON into a document. Where a catch-up falls short of a raw read, this
/// says how much of the gap is deserialisation.
/// </summary>
[MemoryDiagnoser]
public class FoldBenchmarks
{
    private RecordedEvent _received = null!;
    private RecordedEvent _assessed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var contactId = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        _received = Recorded(1, new ContactReceived(contactId, "phone", null, Guid.NewGuid(), "Behind with the rent and worried about the winter.", ["money-and-debt", "food-and-fuel"], true, "demo-agent", at));
        _assessed = Recorded(2, new NeedsAssessed(contactId, ["money-and-debt", "food-and-fuel"], false, PriorityCodes.Standard, "front-door-router", at));
    }

    [Benchmark(Baseline = true, Description = "raw: JsonDocument.Parse")]
    public int RawParse()
    {
        using var received = JsonDocument.Parse(_received.Data);
        using var assessed = JsonDocument.Parse(_assessed.Data);
        return received.RootElement.GetPropertyCount() + assessed.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "FrontDoor: deserialise + evolve")]
    public bool DeserialiseAndEvolve()
    {
        var state = ContactDecider.Evolve(ContactState.Initial, DomainEventSerializer.Deserialize(_received)!);
        state = ContactDecider.Evolve(state, DomainEventSerializer.Deserialize(_assessed)!);
        return state.Exists;
    }

    private static RecordedEvent Recorded(long version, object domainEvent)
    {
        var data = DomainEventSerializer.ToEventData(domainEvent, Guid.NewGuid(), EventMetadata.Empty);
        return new RecordedEvent(version, "contact-x", version, data.EventId, data.Type, data.Data, data.Metadata, DateTimeOffset.UtcNow);
    }
}
