namespace FrontDoor.Domain.Referrals;

public static class ReferralDecider
{
    public static IReadOnlyList<object> Decide(ReferralState state, ReferralCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        Guard.Actor(command.Actor);

        if (command is RaiseReferral raise)
        {
            return Raise(state, raise, now);
        }

        if (!state.Exists)
        {
            throw new DomainException("referral.not-found", $"Referral {command.ReferralId} has not been raised.");
        }

        if (state.ReferralId != command.ReferralId)
        {
            throw new DomainException(
                "referral.id-mismatch",
                $"The command is for referral {command.ReferralId} but the state loaded is referral {state.ReferralId}.");
        }

        return command switch
        {
            ClaimReferral c => Claim(state, c, now),
            AssignReferral c => Assign(state, c, now),
            AcceptReferral c => Accept(state, c, now),
            ReturnReferral c => Return(state, c, now),
            MarkReferralOverdue c => MarkOverdue(state, c, now),
            CompleteReferral c => Complete(state, c, now),
            ReassignReferral c => Reassign(state, c, now),
            AttachContact c => Attach(state, c, now),
            AddCaseNote c => AddNote(state, c, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown referral command."),
        };
    }

    public static ReferralState Evolve(ReferralState state, object evt)
    {
        ArgumentNullException.ThrowIfNull(state);
        var next = evt switch
        {
            ReferralRaised e => state with
            {
                ReferralId = e.ReferralId,
                ContactId = e.ContactId,
                ResidentId = e.ResidentId,
                Status = ReferralStatus.Raised,
                Service = e.Service,
                Priority = e.Priority,
                DueAt = e.DueAt,
                RaisedAt = e.At,
                Rule = e.Rule,
                Needs = [.. e.Needs],
                PreviousReferralId = e.PreviousReferralId,
                AttachedContactIds = [.. e.AttachedContactIds ?? []],
            },
            ReferralClaimed e => state with { Status = ReferralStatus.Claimed, ClaimedBy = e.By, HeldSince = e.At },

            // Assigned work is held as if claimed; work already accepted stays accepted with its new holder.
            ReferralAssigned e => state with
            {
                Status = state.Status == ReferralStatus.Raised ? ReferralStatus.Claimed : state.Status,
                ClaimedBy = e.Assignee,
                HeldSince = e.At,
            },
            ReferralAccepted => state with { Status = ReferralStatus.Accepted },
            ReferralReturned e => state with
            {
                Status = ReferralStatus.Returned,
                ReturnReason = e.Reason,
                SuggestedService = e.SuggestedService,
                ReturnedBy = e.Actor,
                ReturnedAt = e.At,
            },
            ReferralOverdue => state with { IsOverdue = true },
            ReferralCompleted e => state with { Status = ReferralStatus.Completed, Outcome = e.Outcome },

            // The receiving team has not looked at it yet, so any claim belonged to the old service.
            ReferralReassigned e => state with { Service = e.ToService, Status = ReferralStatus.Raised, ClaimedBy = null, HeldSince = null },
            ReferralContactAttached e => state with
            {
                AttachedContactIds = state.AttachedContactIds.Add(e.AttachedContactId),
                Needs = [.. state.Needs.Union(e.Needs, StringComparer.Ordinal)],
            },
            ReferralNoteAdded e => state with { Notes = state.Notes.Add(new CaseNote(e.NoteId, e.Text, e.Actor, e.At)) },
            _ => state,
        };

        return next with { Version = state.Version + 1 };
    }

    public static ReferralState Fold(IEnumerable<object> events) => Fold(ReferralState.Initial, events);

    public static ReferralState Fold(ReferralState state, IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Aggregate(state, Evolve);
    }

    private static object[] Raise(ReferralState state, RaiseReferral c, DateTimeOffset now)
    {
        Guard.Id(c.ReferralId, "referral.id-required", "referral");
        Guard.Id(c.ContactId, "referral.contact-required", "contact");
        if (state.Exists)
        {
            throw new DomainException("referral.already-raised", $"Referral {c.ReferralId} has already been raised.");
        }

        if (!Vocabulary.IsKnownService(c.Service))
        {
            throw new DomainException("referral.unknown-service", $"'{c.Service}' is not a known service.");
        }

        if (!Vocabulary.IsKnownPriority(c.Priority))
        {
            throw new DomainException("referral.unknown-priority", $"'{c.Priority}' is not a known priority.");
        }

        if (string.IsNullOrWhiteSpace(c.Rule))
        {
            throw new DomainException("referral.rule-required", "A referral must say which rule raised it, so routing can be audited.");
        }

        return
        [
            new ReferralRaised(
                c.ReferralId,
                c.ContactId,
                c.ResidentId,
                c.Service,
                c.Priority,
                c.DueAt,
                c.Rule,
                Guard.Codes(c.Needs),
                c.PreviousReferralId,
                c.Actor,
                now,
                c.AttachedContactIds is { Count: > 0 } attached ? [.. attached.Distinct()] : null),
        ];
    }

    /// <summary>
    /// Nothing once the referral is finished (the contact then gets a referral of its own), or when the contact has
    /// already joined (a redelivery). The contact the referral was raised for never joins it a second time.
    /// </summary>
    private static object[] Attach(ReferralState state, AttachContact c, DateTimeOffset now)
    {
        Guard.Id(c.ContactId, "referral.contact-required", "contact");
        if (state.IsFinished || c.ContactId == state.ContactId || state.AttachedContactIds.Contains(c.ContactId))
        {
            return [];
        }

        return [new ReferralContactAttached(state.ReferralId, state.ContactId, c.ContactId, Guard.Codes(c.Needs), c.Actor, now)];
    }

    private static object[] Claim(ReferralState state, ClaimReferral c, DateTimeOffset now)
    {
        EnsureNotFinished(state, "claimed");
        if (state.ClaimedBy is not null)
        {
            if (state.ClaimedBy == c.Actor)
            {
                return [];
            }

            throw new DomainException(
                "referral.already-claimed",
                $"Referral {state.ReferralId} is already held by {state.ClaimedBy}.")
            {
                Actors = new Dictionary<string, string>(StringComparer.Ordinal) { ["holder"] = state.ClaimedBy },
            };
        }

        return [new ReferralClaimed(state.ReferralId, state.ContactId, c.Actor, c.Actor, now)];
    }

    private static object[] Assign(ReferralState state, AssignReferral c, DateTimeOffset now)
    {
        EnsureNotFinished(state, "assigned");
        if (string.IsNullOrWhiteSpace(c.Assignee))
        {
            throw new DomainException("referral.assignee-required", "Say who is to hold the referral.");
        }

        var assignee = c.Assignee.Trim();
        if (state.ClaimedBy == assignee)
        {
            return [];
        }

        EnsureHolder(state, c, "hand on");
        return [new ReferralAssigned(state.ReferralId, state.ContactId, assignee, state.ClaimedBy, c.Actor, now)];
    }

    private static object[] Accept(ReferralState state, AcceptReferral c, DateTimeOffset now)
    {
        EnsureHolder(state, c, "accept");
        EnsureNotFinished(state, "accepted");
        return state.Status switch
        {
            ReferralStatus.Accepted => [],
            ReferralStatus.Raised => throw new DomainException(
                "referral.not-claimed",
                "A referral must be claimed by a worker before it can be accepted."),
            _ => [new ReferralAccepted(state.ReferralId, state.ContactId, c.Actor, now)],
        };
    }

    private static object[] Return(ReferralState state, ReturnReferral c, DateTimeOffset now)
    {
        EnsureHolder(state, c, "return");
        EnsureNotFinished(state, "returned");
        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            throw new DomainException(
                "referral.reason-required",
                "Returning a referral needs a reason, so whoever picks it up next knows why it came back.");
        }

        var suggested = string.IsNullOrWhiteSpace(c.SuggestedService) ? null : c.SuggestedService.Trim();
        if (suggested is not null && !Vocabulary.IsKnownService(suggested))
        {
            throw new DomainException("referral.unknown-service", $"'{suggested}' is not a known service.");
        }

        if (suggested == state.Service)
        {
            throw new DomainException(
                "referral.same-service",
                $"The referral is already with {state.Service}; it cannot be returned to the same service.");
        }

        // The front door is the owner of last resort: handing work back to itself would be a loop, so it
        // may only return a referral by naming a different service.
        if (state.Service == ServiceCodes.FrontDoorTriage && suggested is null)
        {
            throw new DomainException(
                "referral.front-door-must-suggest",
                "Front-door triage can only return a referral by suggesting the service that should take it.");
        }

        return [new ReferralReturned(state.ReferralId, state.ContactId, state.ResidentId, state.Service!, c.Reason.Trim(), suggested, c.Actor, now)];
    }

    private static object[] MarkOverdue(ReferralState state, MarkReferralOverdue c, DateTimeOffset now)
    {
        // The sweep that issues this runs repeatedly; anything other than a first, genuine breach is a no-op.
        if (state.IsFinished || state.IsOverdue || state.DueAt is not { } dueAt || now < dueAt)
        {
            return [];
        }

        return [new ReferralOverdue(state.ReferralId, state.ContactId, dueAt, c.Actor, now)];
    }

    private static object[] Complete(ReferralState state, CompleteReferral c, DateTimeOffset now)
    {
        // First, even before the repeat check: a team-mate is told whose work it is (or was), not that their
        // completion "succeeded" or that the holder finished it a moment ago.
        EnsureHolder(state, c, "complete");
        if (state.Status == ReferralStatus.Completed)
        {
            return [];
        }

        EnsureNotFinished(state, "completed");
        if (state.Status == ReferralStatus.Raised)
        {
            throw new DomainException(
                "referral.not-claimed",
                "A referral must be claimed by a worker before it can be completed, so someone is accountable for the outcome.");
        }

        if (string.IsNullOrWhiteSpace(c.Outcome))
        {
            throw new DomainException("referral.outcome-required", "Completing a referral needs an outcome.");
        }

        return [new ReferralCompleted(state.ReferralId, state.ContactId, state.ResidentId, c.Outcome.Trim(), c.Actor, now)];
    }

    private static object[] AddNote(ReferralState state, AddCaseNote c, DateTimeOffset now)
    {
        if (state.Notes.Exists(n => n.NoteId == c.NoteId))
        {
            return [];
        }

        // A returned referral's work goes on in its replacement, and so do the notes about it. A completed case still
        // takes notes: what happened after it closed belongs on it.
        if (state.Status == ReferralStatus.Returned)
        {
            throw new DomainException(
                "referral.returned",
                "The referral was returned; add the note to its replacement, which carries the work on.");
        }

        if (string.IsNullOrWhiteSpace(c.Text))
        {
            throw new DomainException("referral.note-required", "A note needs some text.");
        }

        return [new ReferralNoteAdded(state.ReferralId, state.ContactId, state.ResidentId, c.NoteId, c.Text.Trim(), c.Actor, now)];
    }

    private static object[] Reassign(ReferralState state, ReassignReferral c, DateTimeOffset now)
    {
        EnsureNotFinished(state, "reassigned");
        if (!Vocabulary.IsKnownService(c.ToService))
        {
            throw new DomainException("referral.unknown-service", $"'{c.ToService}' is not a known service.");
        }

        if (c.ToService == state.Service)
        {
            throw new DomainException(
                "referral.same-service",
                $"The referral is already with {state.Service}.");
        }

        return [new ReferralReassigned(state.ReferralId, state.ContactId, state.Service!, c.ToService, c.Actor, c.Actor, now)];
    }

    /// <summary>
    /// A claim or an assignment makes one person answerable for the work: a team-mate acting on it would take that
    /// over without the holder knowing. Their manager may, and may hand it to someone else.
    /// </summary>
    private static void EnsureHolder(ReferralState state, ReferralCommand command, string verb)
    {
        if (!command.ByManager && state.ClaimedBy is { } holder && !string.Equals(holder, command.Actor, StringComparison.Ordinal))
        {
            throw new DomainException(
                "referral.claimed-by-another",
                $"Referral {state.ReferralId} is held by {holder}; only they can {verb} it, or a manager can assign it to someone else.")
            {
                Actors = new Dictionary<string, string>(StringComparer.Ordinal) { ["holder"] = holder },
            };
        }
    }

    private static void EnsureNotFinished(ReferralState state, string verb)
    {
        if (state.Status == ReferralStatus.Completed)
        {
            throw new DomainException("referral.completed", $"The referral is completed and cannot be {verb}.");
        }

        if (state.Status == ReferralStatus.Returned)
        {
            throw new DomainException(
                "referral.returned",
                $"The referral was returned and cannot be {verb}; its replacement carries the work on.");
        }
    }
}
