using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Tests;

/// <summary>Sealing personal fields into the log and reading them back: with the key, without it, and with the wrong one.</summary>
public sealed class SealedFieldsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);
    private static readonly Guid ResidentId = Guid.Parse("6f1c9f5e-4a57-4a51-9f55-0c1c0e2f7a01");
    private static readonly Guid ContactId = Guid.Parse("9b3e7a0c-1d2f-4e5a-8b6c-7d8e9f0a1b02");

    private static readonly ResidentRegistered Registered = new(ResidentId, "Philippa Quarmby", new DateOnly(1961, 4, 17), "CH3 5TT", "07700 900123", "p.quarmby@example.org", "philippa quarmby|1961-04-17|CH35TT", "demo-agent", At);

    private static readonly ContactReceived Received = new(ContactId, "phone", null, ResidentId, "Boiler broke during the frost in Upton.", ["housing-advice"], true, "demo-agent", At);

    [Fact]
    public void The_stored_event_holds_no_personal_field_in_the_clear()
    {
        var key = SealedFields.NewKey();
        var stored = DomainEventSerializer.ToSealedEventData(Registered, Guid.NewGuid(), EventMetadata.Empty, ResidentId, key).Data
            + DomainEventSerializer.ToSealedEventData(Received, Guid.NewGuid(), EventMetadata.Empty, ResidentId, key).Data;

        foreach (var clear in new[] { "Philippa", "1961-04-17", "CH3 5TT", "07700", "quarmby", "Upton" })
        {
            Assert.DoesNotContain(clear, stored, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains(ResidentId.ToString("D"), stored, StringComparison.Ordinal);
        Assert.Contains("housing-advice", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_with_personal_fields_cannot_be_stored_unsealed() =>
        Assert.Throws<InvalidOperationException>(() => DomainEventSerializer.ToEventData(Received, Guid.NewGuid(), EventMetadata.Empty));

    [Fact]
    public void Without_the_key_every_personal_field_reads_as_null_and_the_rest_is_whole()
    {
        var key = SealedFields.NewKey();
        var resident = Assert.IsType<ResidentRegistered>(DomainEventSerializer.Deserialize(Recorded(DomainEventSerializer.ToSealedEventData(Registered, Guid.NewGuid(), EventMetadata.Empty, ResidentId, key))));
        var contact = Assert.IsType<ContactReceived>(DomainEventSerializer.Deserialize(Recorded(DomainEventSerializer.ToSealedEventData(Received, Guid.NewGuid(), EventMetadata.Empty, ResidentId, key))));

        Assert.Equal(Registered with { Name = null, DateOfBirth = null, Postcode = null, Phone = null, Email = null, MatchKey = null }, resident);
        Assert.Null(contact.Summary);
        Assert.Equal(ContactId, contact.ContactId);
        Assert.Equal(["housing-advice"], contact.Needs);
    }

    [Fact]
    public void With_the_subjects_key_the_fields_open_and_with_any_other_they_read_as_erased()
    {
        var key = SealedFields.NewKey();
        var sealedResident = Recorded(DomainEventSerializer.ToSealedEventData(Registered, Guid.NewGuid(), EventMetadata.Empty, ResidentId, key));
        var sealedContact = Recorded(DomainEventSerializer.ToSealedEventData(Received, Guid.NewGuid(), EventMetadata.Empty, ResidentId, key));

        Assert.Equal(Registered, DomainEventSerializer.Deserialize(PersonalDataVault.Open(sealedResident, typeof(ResidentRegistered), ResidentId, key)));
        Assert.Equal(Received.Summary, Assert.IsType<ContactReceived>(DomainEventSerializer.Deserialize(PersonalDataVault.Open(sealedContact, typeof(ContactReceived), ResidentId, key))).Summary);

        // A shredded key, another key, or the right key under another subject: the field is simply gone.
        foreach (var (subject, other) in new[] { (ResidentId, (byte[]?)null), (ResidentId, SealedFields.NewKey()), (ContactId, key) })
        {
            var opened = Assert.IsType<ResidentRegistered>(DomainEventSerializer.Deserialize(PersonalDataVault.Open(sealedResident, typeof(ResidentRegistered), subject, other)));
            Assert.Null(opened.Name);
            Assert.Null(opened.DateOfBirth);
            Assert.Equal(ResidentId, opened.ResidentId);
        }
    }

    private static RecordedEvent Recorded(EventData data) =>
        new(1, "resident-x", 1, data.EventId, data.Type, data.Data, data.Metadata, At);
}

/// <summary>The serializer Marten is given: it writes the sealed form an event was appended with, and nothing else of a personal one.</summary>
public sealed class PreparedEventSerializerTests
{
    private static readonly Guid ResidentId = Guid.Parse("6f1c9f5e-4a57-4a51-9f55-0c1c0e2f7a01");

    private static readonly PreparedEventSerializer Serializer = new(System.Text.Json.JsonSerializerOptions.Web, SealedFields.HoldsPersonalData);

    [Fact]
    public void A_personal_event_that_was_not_sealed_is_refused()
    {
        var received = new ContactReceived(Guid.NewGuid(), "phone", null, ResidentId, "Boiler broke during the frost in Upton.", ["housing-advice"], true, "demo-agent", DateTimeOffset.UtcNow);

        Assert.Throws<InvalidOperationException>(() => Serializer.ToJson(received));
        Assert.Throws<InvalidOperationException>(() => Serializer.WriteTo(new System.Buffers.ArrayBufferWriter<byte>(), received));
    }

    [Fact]
    public void A_sealed_event_is_written_exactly_as_it_was_prepared()
    {
        var received = new ContactReceived(Guid.NewGuid(), "phone", null, ResidentId, "Boiler broke during the frost in Upton.", ["housing-advice"], true, "demo-agent", DateTimeOffset.UtcNow);
        var sealedEvent = DomainEventSerializer.ToSealedEventData(received, Guid.NewGuid(), EventMetadata.Empty, ResidentId, SealedFields.NewKey());
        PreparedEventSerializer.Prepare(sealedEvent.Event, sealedEvent.Data);

        var written = new System.Buffers.ArrayBufferWriter<byte>();
        Serializer.WriteTo(written, sealedEvent.Event);

        Assert.Equal(sealedEvent.Data, System.Text.Encoding.UTF8.GetString(written.WrittenSpan));
        Assert.DoesNotContain("Upton", Serializer.ToJson(sealedEvent.Event), StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_without_personal_fields_is_serialised_as_usual()
    {
        var closed = new ContactClosed(Guid.NewGuid(), "demo-agent", DateTimeOffset.UtcNow);

        Assert.Contains("\"actor\":\"demo-agent\"", Serializer.ToJson(closed), StringComparison.Ordinal);
    }
}
