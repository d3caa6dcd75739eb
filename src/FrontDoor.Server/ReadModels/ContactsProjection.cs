using System.Text.Json;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;

namespace FrontDoor.Server.ReadModels;

/// <summary>One row per contact for queries across contacts: figures, follow-ups and "tell us once".</summary>
public sealed class ContactsProjection : StreamRowProjection<ContactState>
{
    public const string Name = "contacts-read-model";

    public override string ProjectionName => Name;

    public override string Table => "rm_contacts";

    public override string Category => "contact";

    protected override ContactState Initial => ContactState.Initial;

    protected override string UpsertSql => """
        INSERT INTO {table} (contact_id, channel, site_id, status, resident_id, received_at_ms, has_owner, safeguarding, needs,
                                 follow_up_state, follow_up_due_at_ms, follow_up_marked_due, last_event_at_ms, last_position)
        VALUES (@id, @channel, @site, @status, @resident, @received, @owner, @safeguarding, @needs, @followUp, @followUpDue, @markedDue, @lastEventAt, @position)
        ON CONFLICT (contact_id) DO UPDATE SET
            status = excluded.status, resident_id = excluded.resident_id, has_owner = excluded.has_owner,
            safeguarding = excluded.safeguarding, needs = excluded.needs, follow_up_state = excluded.follow_up_state,
            follow_up_due_at_ms = excluded.follow_up_due_at_ms, follow_up_marked_due = excluded.follow_up_marked_due,
            last_event_at_ms = excluded.last_event_at_ms, last_position = excluded.last_position
        WHERE {table}.last_position <= excluded.last_position
        """;

    protected override ContactState Evolve(ContactState state, object domainEvent) => ContactDecider.Evolve(state, domainEvent);

    protected override bool Exists(ContactState state) => state.Exists;

    protected override IEnumerable<(string Name, object? Value)> Row(ContactState state, StreamTip tip)
    {
        return
        [
            ("id", state.ContactId.ToString("D")),
            ("channel", state.Channel),
            ("site", state.SiteId),
            ("status", state.Status),
            ("resident", state.ResidentOfRecord?.ToString("D")),
            ("received", state.ReceivedAt!.Value.ToUnixMs()),
            ("owner", state.HasOwner ? 1 : 0),
            ("safeguarding", state.Safeguarding || state.Needs.Any(Vocabulary.IsSafeguarding) ? 1 : 0),
            ("needs", JsonSerializer.Serialize(state.Needs)),
            ("followUp", state.FollowUp),
            ("followUpDue", state.FollowUpDueAt?.ToUnixMs()),
            ("markedDue", state.Status == ContactStatus.FollowUpDue ? 1 : 0),
            ("lastEventAt", tip.At.ToUnixMs()),
        ];
    }
}
