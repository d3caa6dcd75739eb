using System.Text.Json;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;

namespace FrontDoor.Server.ReadModels;

/// <summary>
/// One row per referral: the teams' queues, the SLA clock's work list and the manager's figures. What staff wrote
/// (outcomes, return reasons) is not kept here: it is personal data, read from the log through the vault.
/// </summary>
public sealed class ReferralsProjection : StreamRowProjection<ReferralState>
{
    public const string Name = "referrals-read-model";

    public override string ProjectionName => Name;

    public override string Table => "rm_referrals";

    public override string Category => "referral";

    protected override ReferralState Initial => ReferralState.Initial;

    protected override string UpsertSql => """
        INSERT INTO {table} (referral_id, contact_id, service, priority, priority_rank, status, raised_at_ms, due_at_ms, overdue,
                                  safeguarding, claimed_by, held_since_ms, needs, rule, suggested_service,
                                  previous_referral_id, version, updated_at_ms, last_position)
        VALUES (@id, @contact, @service, @priority, @rank, @status, @raised, @due, @overdue, @safeguarding, @claimedBy, @heldSince, @needs, @rule,
                @suggested, @previous, @version, @updated, @position)
        ON CONFLICT (referral_id) DO UPDATE SET
            service = excluded.service, priority = excluded.priority, priority_rank = excluded.priority_rank,
            status = excluded.status, due_at_ms = excluded.due_at_ms, overdue = excluded.overdue,
            claimed_by = excluded.claimed_by, held_since_ms = excluded.held_since_ms, suggested_service = excluded.suggested_service, version = excluded.version,
            updated_at_ms = excluded.updated_at_ms, last_position = excluded.last_position
        WHERE {table}.last_position <= excluded.last_position
        """;

    protected override ReferralState Evolve(ReferralState state, object domainEvent) => ReferralDecider.Evolve(state, domainEvent);

    protected override bool Exists(ReferralState state) => state.Exists;

    protected override IEnumerable<(string Name, object? Value)> Row(ReferralState state, StreamTip tip)
    {
        return
        [
            ("id", state.ReferralId.ToString("D")),
            ("contact", state.ContactId.ToString("D")),
            ("service", state.Service),
            ("priority", state.Priority),
            ("rank", PriorityCodes.Rank(state.Priority!)),
            ("status", state.Status),
            ("raised", state.RaisedAt!.Value.ToUnixMs()),
            ("due", state.DueAt!.Value.ToUnixMs()),
            ("overdue", state.IsOverdue ? 1 : 0),
            ("safeguarding", state.Needs.Any(Vocabulary.IsSafeguarding) ? 1 : 0),
            ("claimedBy", state.ClaimedBy),
            ("heldSince", state.HeldSince?.ToUnixMs()),
            ("needs", JsonSerializer.Serialize(state.Needs)),
            ("rule", state.Rule),
            ("suggested", state.SuggestedService),
            ("previous", state.PreviousReferralId?.ToString("D")),
            ("version", tip.Version),
            ("updated", tip.At.ToUnixMs()),
        ];
    }
}
