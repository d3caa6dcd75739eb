using FrontDoor.Contracts;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Contacts.ViewingContact;

/// <summary>Plain-English lines for a contact's history, so a worker picking it up reads what happened in order.</summary>
public static class History
{
    /// <summary>Everyone an event names: whoever acted, and whom work was given to or taken from.</summary>
    public static IEnumerable<string> People(RecordedEvent recorded, object evt)
    {
        if (recorded.Metadata.Actor is { } actor)
        {
            yield return actor;
        }

        switch (evt)
        {
            case ReferralClaimed e:
                yield return e.By;
                break;
            case ReferralAssigned e:
                yield return e.Assignee;
                if (e.PreviousHolder is { } previous)
                {
                    yield return previous;
                }

                break;
        }
    }

    /// <summary>People are named by <paramref name="names"/> where it knows them (see <see cref="People"/>), else by actor id.</summary>
    public static HistoryEntry Describe(RecordedEvent recorded, object evt, IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        string Name(string actor) => names.TryGetValue(actor, out var name) ? name : actor;
        var (description, referralId) = evt switch
        {
            ContactReceived e => ($"Contact received by {e.Channel}{(e.SiteId is null ? string.Empty : $" at {e.SiteId}")}", (Guid?)null),
            NeedsAssessed e => ($"Needs assessed: {string.Join(", ", e.Needs)}{(e.Safeguarding ? " (safeguarding)" : string.Empty)}", null),
            ConsentRecorded e => (e.ConsentToShare ? $"Consent to share given ({e.ObtainedBy})" : $"Consent to share withheld ({e.ObtainedBy})", null),
            ContactReferred e => (e.Joined ? $"Added to the resident's open {e.Service} referral ({e.Priority})" : $"Referred to {e.Service} ({e.Priority})", e.ReferralId),
            ContactReferralCompleted e => ("Referral completed", e.ReferralId),
            ContactReferralClosed e => ($"Referral closed ({e.Reason})", e.ReferralId),
            Signposted e => ($"Signposted to {string.Join(", ", e.Entries)}", null),
            ResolvedAtFirstContact e => ($"Resolved at first contact: {Written(e.Note)}", null),
            QueuedForTriage e => ($"Queued for front door triage ({e.Reason})", null),
            FollowUpScheduled e => ($"Check-back scheduled for {e.DueAt:yyyy-MM-dd} ({e.Reason})", null),
            FollowUpDue => ("Check-back due", null),
            FollowUpCompleted e => (e.Helped ? $"Checked back: helped. {Written(e.Note)}" : $"Checked back: not helped, back to triage. {Written(e.Note)}", null),
            ContactClosed => ("Contact closed", null),
            ContactPersonalDataErased e => ($"Personal data erased ({e.Basis}{(e.Reference is null ? string.Empty : $", reference {e.Reference}")})", null),
            ReferralRaised e => ($"{e.Service} referral raised ({e.Priority}, due {e.DueAt:yyyy-MM-dd HH:mm}) by rule {e.Rule}", e.ReferralId),
            ReferralClaimed e => ($"Referral claimed by {Name(e.By)}", e.ReferralId),
            ReferralAssigned e => ($"Referral given to {Name(e.Assignee)}{(e.PreviousHolder is { } previous ? $" (held by {Name(previous)} before)" : string.Empty)}", e.ReferralId),
            ReferralNoteAdded e => ("Note added to the case", e.ReferralId),
            ReferralAccepted e => ("Referral accepted", e.ReferralId),
            ReferralReturned e => ($"Returned by {e.Service}: {Written(e.Reason)}{(e.SuggestedService is null ? string.Empty : $" (suggested {e.SuggestedService})")}", e.ReferralId),
            ReferralOverdue e => ($"Referral overdue (was due {e.DueAt:yyyy-MM-dd HH:mm})", e.ReferralId),
            ReferralCompleted e => ($"Referral completed by the service: {Written(e.Outcome)}", e.ReferralId),
            ReferralReassigned e => ($"Reassigned from {e.FromService} to {e.ToService}", e.ReferralId),
            ReferralContactAttached e => ($"Contact {ContactReference.Of(e.AttachedContactId)} from the same resident joined this referral{(e.Needs.Count > 0 ? $" ({string.Join(", ", e.Needs)})" : string.Empty)}", e.ReferralId),
            ResidentContactLinked => ("Linked to the resident's record", null),
            ContactResidentSuggested e => ($"Details match known resident {e.ResidentId}: confirm with the resident before linking", null),
            ContactResidentConfirmed e => ($"Confirmed as resident {e.ResidentId}'s contact; consent to share {(e.ConsentToShare ? "given" : "withheld")} (spoken)", null),
            _ => (recorded.Type, null),
        };
        var actor = recorded.Metadata.Actor ?? "unknown";
        return new HistoryEntry(recorded.Type, recorded.Timestamp, actor, description, referralId, names.TryGetValue(actor, out var actorName) ? actorName : null);
    }

    /// <summary>What staff wrote, or that it is gone: a sealed field whose key was shredded reads as null.</summary>
    private static string Written(string? text) => text ?? "(erased)";
}
