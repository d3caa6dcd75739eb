namespace FrontDoor.Domain.Contacts;

public static class ContactDecider
{
    public const int MaxSummaryLength = 4000;

    public static IReadOnlyList<object> Decide(ContactState state, ContactCommand command, DateTimeOffset now) =>
        Decide(state, command, now, ContactPolicy.Default);

    public static IReadOnlyList<object> Decide(
        ContactState state,
        ContactCommand command,
        DateTimeOffset now,
        ContactPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(policy);
        Guard.Actor(command.Actor);

        if (command is RecordContact record)
        {
            return Record(state, record, now, policy);
        }

        if (command is EraseContactPersonalData erase)
        {
            return Erase(state, erase, now);
        }

        EnsureOpen(state, command.ContactId);

        return command switch
        {
            AssessNeeds c => Assess(state, c, now, policy),
            RecordConsent c => Consent(state, c, now),
            RecordReferral c => Refer(state, c, now),
            RecordReferralCompleted c => CompleteReferral(state, c, now, policy),
            RecordReferralReturned c => ReturnReferral(state, c, now),
            Signpost c => SignpostTo(state, c, now, policy),
            ResolveAtFirstContact c => Resolve(state, c, now, policy),
            QueueForTriage c => Queue(state, c, now),
            ScheduleFollowUp c => Schedule(state, c, now),
            MarkFollowUpDue c => MarkDue(state, c, now),
            CompleteFollowUp c => CompleteFollowUp(state, c, now),
            CloseContact c => Close(state, c, now),
            SuggestResident c => Suggest(state, c, now),
            ConfirmResident c => Confirm(state, c, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown contact command."),
        };
    }

    /// <summary>
    /// The council's rule for a check-back: a contact is done once someone has checked back and found the resident
    /// helped with nothing left open, so that check-back also closes it; otherwise the contact stays open (not helped
    /// sends it back to triage).
    /// </summary>
    public static IReadOnlyList<object> CheckBack(ContactState state, CompleteFollowUp command, DateTimeOffset now, ContactPolicy policy)
    {
        var decided = Decide(state, command, now, policy).ToList();
        var after = Fold(state, decided);
        if (command.Helped && after.CloseBlockers().Count == 0)
        {
            decided.AddRange(Decide(after, new CloseContact(command.ContactId, command.Actor), now, policy));
        }

        return decided;
    }

    public static ContactState Evolve(ContactState state, object evt)
    {
        ArgumentNullException.ThrowIfNull(state);
        var next = evt switch
        {
            ContactReceived e => state with
            {
                ContactId = e.ContactId,
                Status = ContactStatus.Received,
                Channel = e.Channel,
                SiteId = e.SiteId,
                ResidentId = e.ResidentId,
                Summary = e.Summary,
                ReceivedAt = e.At,
                StatedNeeds = [.. e.Needs],
                Needs = [.. e.Needs],
                ConsentToShare = e.ConsentToShare,
                ConsentAnsweredAt = e.At,
            },
            NeedsAssessed e => state with
            {
                Needs = [.. e.Needs],
                NeedsAssessed = true,
                Safeguarding = e.Safeguarding,
                HighestPriority = e.HighestPriority,
            },
            ConsentRecorded e => state with { ConsentToShare = e.ConsentToShare, ConsentObtainedBy = e.ObtainedBy, ConsentAnsweredAt = e.At },
            ContactReferred e => state with
            {
                Status = e.Service == ServiceCodes.FrontDoorTriage ? Queued(state.Status) : Routed(state.Status),
                OpenReferrals = state.OpenReferrals.Add(new ContactReferralLink(e.ReferralId, e.Service, e.Priority, e.DueAt)),
                ReferredServices = state.ReferredServices.Contains(e.Service) ? state.ReferredServices : state.ReferredServices.Add(e.Service),
                AwaitingTriage = state.AwaitingTriage && e.Service == ServiceCodes.FrontDoorTriage,

                // New work after a finished check-back means the resident is owed another one before closing.
                FollowUp = state.FollowUp == FollowUpStates.Done ? FollowUpStates.None : state.FollowUp,
            },
            ContactReferralCompleted e => CompleteReferralState(state, e),
            ContactReferralClosed e => state with
            {
                OpenReferrals = state.OpenReferrals.RemoveAll(r => r.ReferralId == e.ReferralId),
                ClosedReferralIds = state.ClosedReferralIds.Add(e.ReferralId),
            },
            Signposted e => state with
            {
                Status = Routed(state.Status),
                Signposts = state.Signposts.AddRange(e.Entries.Where(x => !state.Signposts.Contains(x))),
                AwaitingTriage = false,
            },
            ResolvedAtFirstContact e => state with
            {
                Status = Routed(state.Status),
                Resolved = true,
                ResolutionNote = e.Note,
                AwaitingTriage = false,
            },
            QueuedForTriage e => state with
            {
                Status = Queued(state.Status),
                AwaitingTriage = true,
                TriageReason = e.Reason,
            },
            FollowUpScheduled e => state with
            {
                Status = ContactStatus.AwaitingFollowUp,
                FollowUp = FollowUpStates.Scheduled,
                FollowUpDueAt = e.DueAt,
                FollowUpReason = e.Reason,
            },
            FollowUpDue => state with { Status = ContactStatus.FollowUpDue },
            FollowUpCompleted { Helped: true } => state with
            {
                Status = ContactStatus.Routed,
                FollowUp = FollowUpStates.Done,
                LastFollowUpHelped = true,
            },
            FollowUpCompleted => state with
            {
                Status = ContactStatus.Reopened,
                FollowUp = FollowUpStates.None,
                FollowUpDueAt = null,
                FollowUpReason = null,
                LastFollowUpHelped = false,
            },
            ContactClosed => state with { Status = ContactStatus.Closed },
            ContactResidentSuggested e => state with { SuggestedResidentId = e.ResidentId },
            ContactResidentConfirmed e => state with { ConfirmedResidentId = e.ResidentId, ConfirmedConsentToShare = e.ConsentToShare, ConfirmedAt = e.At },
            ContactPersonalDataErased => state with { PersonalDataErased = true, Summary = null, ResolutionNote = null },
            _ => state,
        };

        return next with { Version = state.Version + 1 };
    }

    public static ContactState Fold(IEnumerable<object> events) => Fold(ContactState.Initial, events);

    public static ContactState Fold(ContactState state, IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Aggregate(state, Evolve);
    }

    private static string Routed(string status) =>
        status is ContactStatus.Received or ContactStatus.Reopened ? ContactStatus.Routed : status;

    // A reopened contact stays "reopened" while it sits with triage, so the queue can tell a second
    // attempt from a first one; only a real destination moves it on.
    private static string Queued(string status) => status == ContactStatus.Received ? ContactStatus.Routed : status;

    private static ContactState CompleteReferralState(ContactState state, ContactReferralCompleted e)
    {
        var link = state.FindOpenReferral(e.ReferralId);
        return state with
        {
            OpenReferrals = state.OpenReferrals.RemoveAll(r => r.ReferralId == e.ReferralId),
            CompletedReferralIds = state.CompletedReferralIds.Add(e.ReferralId),

            // Triage finishing its own piece of work is what ends the wait for triage.
            AwaitingTriage = state.AwaitingTriage && link?.Service != ServiceCodes.FrontDoorTriage,
        };
    }

    /// <summary>Allowed on a closed contact too: retention applies to closed records above all.</summary>
    private static object[] Erase(ContactState state, EraseContactPersonalData c, DateTimeOffset now)
    {
        if (!state.Exists)
        {
            throw new DomainException("contact.not-found", $"Contact {c.ContactId} has not been recorded.");
        }

        if (state.ResidentId is not null)
        {
            throw new DomainException("contact.erase-the-resident", "This contact's personal data is its resident's: erase the resident.");
        }

        var reference = ErasureBases.Checked(c.Basis, c.Reference);
        return state.PersonalDataErased ? [] : [new ContactPersonalDataErased(state.ContactId, c.Basis, reference, c.Actor, now)];
    }

    private static void EnsureOpen(ContactState state, Guid contactId)
    {
        if (!state.Exists)
        {
            throw new DomainException("contact.not-found", $"Contact {contactId} has not been recorded.");
        }

        if (state.ContactId != contactId)
        {
            throw new DomainException(
                "contact.id-mismatch",
                $"The command is for contact {contactId} but the state loaded is contact {state.ContactId}.");
        }

        if (state.IsClosed)
        {
            throw new DomainException("contact.closed", "The contact is closed; nothing more can be recorded against it.");
        }
    }

    private static object[] Record(ContactState state, RecordContact c, DateTimeOffset now, ContactPolicy policy)
    {
        Guard.Id(c.ContactId, "contact.id-required", "contact");
        if (state.Exists)
        {
            throw new DomainException("contact.already-exists", $"Contact {c.ContactId} has already been recorded.");
        }

        if (string.IsNullOrWhiteSpace(c.Summary))
        {
            throw new DomainException("contact.summary-required", "A summary of what the resident told us is required.");
        }

        if (c.Summary.Length > MaxSummaryLength)
        {
            throw new DomainException(
                "contact.summary-too-long",
                $"The summary is {c.Summary.Length} characters; the limit is {MaxSummaryLength}.");
        }

        if (!Vocabulary.IsKnownChannel(c.Channel))
        {
            throw new DomainException("contact.unknown-channel", $"'{c.Channel}' is not a channel the council accepts contact through.");
        }

        if (Vocabulary.IsSiteChannel(c.Channel))
        {
            if (string.IsNullOrWhiteSpace(c.SiteId))
            {
                throw new DomainException(
                    "contact.site-required",
                    $"A '{c.Channel}' contact happens at a site, so the site must be recorded.");
            }

            var site = policy.Sites.Find(c.SiteId)
                ?? throw new DomainException("contact.unknown-site", $"'{c.SiteId}' is not a known site.");
            if (site.Kind != c.Channel)
            {
                throw new DomainException(
                    "contact.site-mismatch",
                    $"Site '{site.Id}' is a {site.Kind} site, not a {c.Channel} site.");
            }
        }
        else if (c.SiteId is not null)
        {
            throw new DomainException(
                "contact.site-not-applicable",
                $"A '{c.Channel}' contact does not happen at a site, so no site should be given.");
        }

        return
        [
            new ContactReceived(
                c.ContactId,
                c.Channel,
                c.SiteId,
                c.ResidentId,
                c.Summary.Trim(),
                Guard.Codes(c.Needs),
                c.ConsentToShare,
                c.Actor,
                now,
                c.ClaimedResidentId,
                c.RequestDigest),
        ];
    }

    private static object[] Suggest(ContactState state, SuggestResident c, DateTimeOffset now)
    {
        Guard.Id(c.ResidentId, "contact.resident-id-required", "resident");

        // Once staff have said whose contact it is, a suggestion has nothing left to suggest.
        if (state.ConfirmedResidentId is not null || state.SuggestedResidentId == c.ResidentId || state.ResidentId == c.ResidentId)
        {
            return [];
        }

        return [new ContactResidentSuggested(c.ContactId, c.ResidentId, c.Actor, now)];
    }

    private static object[] Confirm(ContactState state, ConfirmResident c, DateTimeOffset now)
    {
        Guard.Id(c.ResidentId, "contact.resident-id-required", "resident");
        if (state.ConfirmedResidentId == c.ResidentId)
        {
            return [];
        }

        if (state.ConfirmedResidentId is { } confirmed)
        {
            throw new DomainException(
                "contact.resident-already-confirmed",
                $"This contact was already confirmed as resident {confirmed}'s.");
        }

        if (state.ResidentId == c.ResidentId)
        {
            throw new DomainException("contact.resident-already-linked", "This contact is already that resident's.");
        }

        return [new ContactResidentConfirmed(c.ContactId, c.ResidentId, c.ConsentToShare, c.Actor, now)];
    }

    private static object[] Assess(ContactState state, AssessNeeds c, DateTimeOffset now, ContactPolicy policy)
    {
        var needs = Guard.Codes(c.Needs);
        if (needs.Count == 0)
        {
            throw new DomainException(
                "contact.needs-required",
                "An assessment must record at least one need; a contact needing nothing should be resolved instead.");
        }

        if (state.NeedsAssessed && state.Needs.Count == needs.Count && needs.All(state.Needs.Contains))
        {
            return [];
        }

        var safeguarding = needs.Any(Vocabulary.IsSafeguarding);
        return [new NeedsAssessed(c.ContactId, needs, safeguarding, policy.Routing.HighestPriority(needs), c.Actor, now)];
    }

    private static object[] Consent(ContactState state, RecordConsent c, DateTimeOffset now)
    {
        if (!ConsentMethods.All.Contains(c.ObtainedBy))
        {
            throw new DomainException(
                "contact.unknown-consent-method",
                $"Consent must be recorded as obtained by one of: {string.Join(", ", ConsentMethods.All)}.");
        }

        if (state.ConsentToShare == c.ConsentToShare && state.ConsentObtainedBy == c.ObtainedBy)
        {
            return [];
        }

        return [new ConsentRecorded(c.ContactId, c.ConsentToShare, c.ObtainedBy, c.Actor, now)];
    }

    private static object[] Refer(ContactState state, RecordReferral c, DateTimeOffset now)
    {
        Guard.Id(c.ReferralId, "contact.referral-id-required", "referral");
        RequireServiceAndPriority(c.Service, c.Priority);

        // Referral notifications can be redelivered; a referral the contact already knows is not news.
        if (state.IsKnownReferral(c.ReferralId))
        {
            return [];
        }

        return [new ContactReferred(c.ContactId, c.ReferralId, c.Service, c.Priority, c.DueAt, c.Actor, now, c.Joined)];
    }

    private static List<object> CompleteReferral(
        ContactState state,
        RecordReferralCompleted c,
        DateTimeOffset now,
        ContactPolicy policy)
    {
        if (state.CompletedReferralIds.Contains(c.ReferralId))
        {
            return [];
        }

        if (state.ClosedReferralIds.Contains(c.ReferralId))
        {
            throw new DomainException(
                "contact.referral-closed",
                $"Referral {c.ReferralId} was returned, so it cannot also be completed.");
        }

        if (state.FindOpenReferral(c.ReferralId) is null)
        {
            throw new DomainException("contact.unknown-referral", $"Referral {c.ReferralId} is not linked to this contact.");
        }

        var events = new List<object> { new ContactReferralCompleted(c.ContactId, c.ReferralId, c.Actor, now) };
        ScheduleFollowUpIfWorkIsDone(state, events, FollowUpReasons.AllReferralsCompleted, c.Actor, now, policy);
        return events;
    }

    private static List<object> ReturnReferral(ContactState state, RecordReferralReturned c, DateTimeOffset now)
    {
        if (state.CompletedReferralIds.Contains(c.ReferralId))
        {
            throw new DomainException(
                "contact.referral-completed",
                $"Referral {c.ReferralId} was completed, so it cannot be returned.");
        }

        if (!state.IsKnownReferral(c.ReferralId))
        {
            throw new DomainException("contact.unknown-referral", $"Referral {c.ReferralId} is not linked to this contact.");
        }

        var events = new List<object>();
        if (!state.ClosedReferralIds.Contains(c.ReferralId))
        {
            events.Add(new ContactReferralClosed(c.ContactId, c.ReferralId, ReferralCloseReasons.Returned, c.Actor, now));
        }

        if (c.Replacement is { } replacement)
        {
            Guard.Id(replacement.ReferralId, "contact.referral-id-required", "referral");
            RequireServiceAndPriority(replacement.Service, replacement.Priority);
            if (!state.IsKnownReferral(replacement.ReferralId) && replacement.ReferralId != c.ReferralId)
            {
                events.Add(new ContactReferred(
                    c.ContactId,
                    replacement.ReferralId,
                    replacement.Service,
                    replacement.Priority,
                    replacement.DueAt,
                    c.Actor,
                    now));
            }
        }

        // With nowhere else to go, the front door takes the contact back rather than let it drop.
        var after = Fold(state, events);
        if (events.Count > 0 && after.OpenReferrals.IsEmpty && !after.AwaitingTriage)
        {
            events.Add(new QueuedForTriage(c.ContactId, TriageReasons.ReferralReturned, c.Actor, now));
        }

        return events;
    }

    private static List<object> SignpostTo(ContactState state, Signpost c, DateTimeOffset now, ContactPolicy policy)
    {
        var entries = Guard.Codes(c.Entries);
        if (entries.Count == 0)
        {
            throw new DomainException("contact.signpost-entries-required", "Signposting must name at least one directory entry.");
        }

        var unknown = entries.Where(e => policy.Directory.Find(e) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new DomainException(
                "contact.unknown-directory-entry",
                $"Not in the community directory: {string.Join(", ", unknown)}.");
        }

        var fresh = entries.Where(e => !state.Signposts.Contains(e)).ToList();
        if (fresh.Count == 0)
        {
            return [];
        }

        var events = new List<object> { new Signposted(c.ContactId, fresh, c.Actor, now) };
        ScheduleFollowUpIfWorkIsDone(state, events, FollowUpReasons.Signposted, c.Actor, now, policy);
        return events;
    }

    private static List<object> Resolve(ContactState state, ResolveAtFirstContact c, DateTimeOffset now, ContactPolicy policy)
    {
        if (string.IsNullOrWhiteSpace(c.Note))
        {
            throw new DomainException("contact.note-required", "Say how the contact was resolved, so the record stands on its own.");
        }

        if (state.Resolved)
        {
            return [];
        }

        if (!state.OpenReferrals.IsEmpty)
        {
            throw new DomainException(
                "contact.has-open-referrals",
                "The contact has open referrals, so it was not resolved at first contact.");
        }

        var events = new List<object> { new ResolvedAtFirstContact(c.ContactId, state.ResidentId, c.Note, c.Actor, now) };
        ScheduleFollowUpIfWorkIsDone(state, events, FollowUpReasons.Resolved, c.Actor, now, policy);
        return events;
    }

    private static object[] Queue(ContactState state, QueueForTriage c, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            throw new DomainException("contact.reason-required", "Say why the contact needs triage.");
        }

        return state.AwaitingTriage ? [] : [new QueuedForTriage(c.ContactId, c.Reason, c.Actor, now)];
    }

    private static object[] Schedule(ContactState state, ScheduleFollowUp c, DateTimeOffset now)
    {
        if (!FollowUpReasons.All.Contains(c.Reason))
        {
            throw new DomainException(
                "contact.unknown-follow-up-reason",
                $"A follow-up reason must be one of: {string.Join(", ", FollowUpReasons.All)}.");
        }

        if (state.FollowUp == FollowUpStates.Done)
        {
            throw new DomainException(
                "contact.follow-up-already-done",
                "The follow-up has already been done; record new work before scheduling another.");
        }

        if (state.FollowUp == FollowUpStates.Scheduled && state.FollowUpDueAt == c.DueAt && state.FollowUpReason == c.Reason)
        {
            return [];
        }

        return [new FollowUpScheduled(c.ContactId, c.DueAt, c.Reason, c.Actor, now)];
    }

    private static object[] MarkDue(ContactState state, MarkFollowUpDue c, DateTimeOffset now)
    {
        // The sweep runs repeatedly; only the first pass after the due time is news.
        if (state.FollowUp != FollowUpStates.Scheduled
            || state.Status == ContactStatus.FollowUpDue
            || state.FollowUpDueAt is not { } dueAt
            || now < dueAt)
        {
            return [];
        }

        return [new FollowUpDue(c.ContactId, dueAt, c.Actor, now)];
    }

    private static List<object> CompleteFollowUp(ContactState state, CompleteFollowUp c, DateTimeOffset now)
    {
        if (state.FollowUp != FollowUpStates.Scheduled)
        {
            throw new DomainException(
                "contact.follow-up-not-scheduled",
                "There is no scheduled follow-up to complete.");
        }

        // When the resident was not helped, triage picks the contact back up and needs to know why.
        if (!c.Helped && string.IsNullOrWhiteSpace(c.Note))
        {
            throw new DomainException(
                "contact.note-required",
                "Say why the resident was not helped, so triage can act on it.");
        }

        var events = new List<object> { new FollowUpCompleted(c.ContactId, state.ResidentId, c.Helped, c.Note ?? string.Empty, c.Actor, now) };
        if (!c.Helped && !state.AwaitingTriage)
        {
            events.Add(new QueuedForTriage(c.ContactId, TriageReasons.FollowUpNotHelped, c.Actor, now));
        }

        return events;
    }

    private static object[] Close(ContactState state, CloseContact c, DateTimeOffset now)
    {
        var blockers = state.CloseBlockers();
        if (blockers.Count > 0)
        {
            throw new DomainException(
                "contact.cannot-close",
                $"The contact cannot be closed: {string.Join("; ", blockers)}.");
        }

        return [new ContactClosed(c.ContactId, c.Actor, now)];
    }

    /// <summary>
    /// Once nothing is outstanding the resident is owed a check-back; scheduling it in the same decision
    /// means it cannot be forgotten between two requests.
    /// </summary>
    private static void ScheduleFollowUpIfWorkIsDone(
        ContactState state,
        List<object> events,
        string reason,
        string actor,
        DateTimeOffset now,
        ContactPolicy policy)
    {
        var after = Fold(state, events);
        if (after.OpenReferrals.IsEmpty && after.FollowUp == FollowUpStates.None && !after.AwaitingTriage)
        {
            events.Add(new FollowUpScheduled(after.ContactId, policy.Sla.FollowUpDueAt(now), reason, actor, now));
        }
    }

    private static void RequireServiceAndPriority(string service, string priority)
    {
        if (!Vocabulary.IsKnownService(service))
        {
            throw new DomainException("contact.unknown-service", $"'{service}' is not a known service.");
        }

        if (!Vocabulary.IsKnownPriority(priority))
        {
            throw new DomainException("contact.unknown-priority", $"'{priority}' is not a known priority.");
        }
    }
}
