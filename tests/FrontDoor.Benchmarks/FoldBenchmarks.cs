using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Benchmarks;

/// <summary>
/// The per-event work of every reader of the log (a reaction loading its streams, live pushes, a rebuild): turning a stored event into a domain event and folding it,
/// against the raw cost of parsing the same JSON into a document. Where a catch-up falls short of a raw read, this
/// says how much of the gap is deserialisation. The contact's summary is sealed, as in the log: most readers leave
/// it sealed (it reads as null), the few that show it open it with the resident's key (AES-GCM) first.
/// </summary>
[MemoryDiagnoser]
public class FoldBenchmarks
{
    private static readonly byte[] Key = SealedFields.NewKey();
    private RecordedEvent _received = null!;
    private RecordedEvent _assessed = null!;
    private Guid _residentId;

    [GlobalSetup]
    public void Setup()
    {
        var contactId = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        _residentId = Guid.NewGuid();
        var received = new ContactReceived(contactId, "phone", null, _residentId, "Behind with the rent and worried about the winter.", ["money-and-debt", "food-and-fuel"], true, "demo-agent", at);
        _received = Recorded(1, DomainEventSerializer.ToSealedEventData(received, Guid.NewGuid(), EventMetadata.Empty, _residentId, Key));
        _assessed = Recorded(2, DomainEventSerializer.ToEventData(new NeedsAssessed(contactId, ["money-and-debt", "food-and-fuel"], false, PriorityCodes.Standard, "system:router", at), Guid.NewGuid(), EventMetadata.Empty));
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

    [Benchmark(Description = "FrontDoor: open sealed summary + deserialise + evolve")]
    public bool OpenDeserialiseAndEvolve()
    {
        var opened = PersonalDataVault.Open(_received, typeof(ContactReceived), _residentId, Key);
        var state = ContactDecider.Evolve(ContactState.Initial, DomainEventSerializer.Deserialize(opened)!);
        state = ContactDecider.Evolve(state, DomainEventSerializer.Deserialize(_assessed)!);
        return state.Summary is not null;
    }

    private static RecordedEvent Recorded(long version, EventData data)
    {
        return new RecordedEvent(version, "contact-x", version, data.EventId, data.Type, data.Data, data.Metadata, DateTimeOffset.UtcNow);
    }
}
