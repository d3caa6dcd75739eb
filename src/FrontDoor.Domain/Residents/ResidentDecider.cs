using System.Collections.Immutable;
using FrontDoor.Domain.Contacts;

namespace FrontDoor.Domain.Residents;

public static class ResidentDecider
{
    public const int MaxNameLength = 200;
    public const int MaxPartnerCodeLength = 100;

    /// <summary>A partner is named by its community directory organisation id: letters, digits and dashes.</summary>
    public static bool IsPartnerCode(string? code) =>
        !string.IsNullOrWhiteSpace(code) && code.Length <= MaxPartnerCodeLength && code.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-');

    public static IReadOnlyList<object> Decide(ResidentState state, ResidentCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        Guard.Actor(command.Actor);

        if (command is RegisterResident register)
        {
            return Register(state, register, now);
        }

        if (!state.Exists)
        {
            throw new DomainException("resident.not-found", $"Resident {command.ResidentId} has not been registered.");
        }

        if (state.ResidentId != command.ResidentId)
        {
            throw new DomainException(
                "resident.id-mismatch",
                $"The command is for resident {command.ResidentId} but the state loaded is resident {state.ResidentId}.");
        }

        if (command is EraseResident erase)
        {
            return Erase(state, erase, now);
        }

        if (state.Erased)
        {
            // A contact racing the erasure is simply not linked: it keeps its own record and nothing joins it to
            // a person the council no longer holds data about.
            return command is LinkContact or AnswerForReferredServices
                ? []
                : throw new DomainException("resident.erased", $"Resident {state.ResidentId} has been erased; record them again as a new resident.");
        }

        if (command is MergeIntoResident mergeInto)
        {
            return MergeInto(state, mergeInto, now);
        }

        if (state.MergedInto is { } into)
        {
            // Like an erased record: a contact racing the merge still links here (the merged record's contacts are
            // the person's), but nothing else changes a record the person is no longer held in.
            return command is LinkContact or AnswerForReferredServices
                ? Decide(state with { MergedInto = null }, command, now)
                : throw new DomainException("resident.merged", $"Resident {state.ResidentId} was merged into {into}; use that record.");
        }

        return command switch
        {
            AbsorbResident c => Absorb(state, c, now),
            CorrectResidentDetails c => Correct(state, c, now),
            LinkContact c => Link(state, c, now),
            GiveConsent c => Give(state, c, now),
            WithdrawConsent c => Withdraw(state, c, now),
            AnswerForReferredServices c => Answer(state, c, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown resident command."),
        };
    }

    public static ResidentState Evolve(ResidentState state, object evt)
    {
        ArgumentNullException.ThrowIfNull(state);
        var next = evt switch
        {
            ResidentRegistered e => state with
            {
                ResidentId = e.ResidentId,
                Exists = true,
                Name = e.Name,
                DateOfBirth = e.DateOfBirth,
                Postcode = e.Postcode,
                Phone = e.Phone,
                Email = e.Email,
                MatchKey = e.MatchKey,
            },
            ResidentDetailsCorrected e => state with
            {
                Name = e.Name,
                DateOfBirth = e.DateOfBirth,
                Postcode = e.Postcode,
                Phone = e.Phone,
                Email = e.Email,
                MatchKey = e.MatchKey,
            },
            ResidentContactLinked e => state.ContactIds.Contains(e.ContactId)
                ? state
                : state with { ContactIds = state.ContactIds.Add(e.ContactId) },
            ResidentConsentGiven e => state with
            {
                ConsentedServices = state.ConsentedServices.Union(e.Services),
                ConsentedPartners = state.ConsentedPartners.Union(e.Partners),
                AnsweredAt = Answered(state.AnsweredAt, e.Services, e.At),
            },
            ResidentConsentWithdrawn e => state with
            {
                ConsentedServices = state.ConsentedServices.Except(e.Services),
                ConsentedPartners = state.ConsentedPartners.Except(e.Partners),
                AnsweredAt = Answered(state.AnsweredAt, e.Services, e.At),
            },
            ResidentMerged e => state.MergedResidentIds.Contains(e.MergedResidentId) ? state : state with { MergedResidentIds = state.MergedResidentIds.Add(e.MergedResidentId) },
            ResidentMergedInto e => state with { MergedInto = e.IntoResidentId },
            ResidentErased => state with
            {
                Erased = true,
                Name = null,
                DateOfBirth = null,
                Postcode = null,
                Phone = null,
                Email = null,
                MatchKey = null,
                ConsentedServices = state.ConsentedServices.Clear(),
                ConsentedPartners = state.ConsentedPartners.Clear(),
            },
            _ => state,
        };

        return next with { Version = state.Version + 1 };
    }

    public static ResidentState Fold(IEnumerable<object> events) => Fold(ResidentState.Initial, events);

    public static ResidentState Fold(ResidentState state, IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Aggregate(state, Evolve);
    }

    private static object[] Register(ResidentState state, RegisterResident c, DateTimeOffset now)
    {
        Guard.Id(c.ResidentId, "resident.id-required", "resident");
        var details = Details.From(c.Name, c.DateOfBirth, c.Postcode, c.Phone, c.Email);

        if (state.Erased)
        {
            throw new DomainException("resident.erased", $"Resident {c.ResidentId} has been erased; a new record needs a new id.");
        }

        if (state.Exists)
        {
            // Find-or-create races land here with the same derived id: same person, nothing to do.
            if (details.MatchKey is not null && details.MatchKey == state.MatchKey)
            {
                return [];
            }

            throw new DomainException("resident.already-registered", $"Resident {c.ResidentId} is already registered.");
        }

        return
        [
            new ResidentRegistered(
                c.ResidentId,
                details.Name,
                details.DateOfBirth,
                details.Postcode,
                details.Phone,
                details.Email,
                details.MatchKey,
                c.Actor,
                now),
        ];
    }

    private static object[] Correct(ResidentState state, CorrectResidentDetails c, DateTimeOffset now)
    {
        var details = Details.From(c.Name, c.DateOfBirth, c.Postcode, c.Phone, c.Email);
        if (details.Name == state.Name
            && details.DateOfBirth == state.DateOfBirth
            && details.Postcode == state.Postcode
            && details.Phone == state.Phone
            && details.Email == state.Email)
        {
            return [];
        }

        return
        [
            new ResidentDetailsCorrected(
                state.ResidentId,
                details.Name,
                details.DateOfBirth,
                details.Postcode,
                details.Phone,
                details.Email,
                details.MatchKey,
                c.Actor,
                now),
        ];
    }

    private static object[] Link(ResidentState state, LinkContact c, DateTimeOffset now)
    {
        Guard.Id(c.ContactId, "resident.contact-required", "contact");
        if (!Vocabulary.IsKnownChannel(c.Channel))
        {
            throw new DomainException("resident.unknown-channel", $"'{c.Channel}' is not a known channel.");
        }

        if (state.ContactIds.Contains(c.ContactId))
        {
            return [];
        }

        return [new ResidentContactLinked(state.ResidentId, c.ContactId, c.Channel, c.Actor, now)];
    }

    /// <summary>
    /// A contact's answer reaches the record as each of its referrals is raised, in no promised order with other
    /// contacts' answers and staff's changes: for each service the newest answer stands, so one from before the
    /// answer on record that would change it is history, not the resident's wish, and is left out. Every other answer
    /// is recorded, a yes to consent already held and a no to consent never given included, so the record shows what
    /// was said and when whatever order the answers arrived in.
    /// </summary>
    private static object[] Answer(ResidentState state, AnswerForReferredServices c, DateTimeOffset now)
    {
        Guard.Id(c.ContactId, "resident.contact-required", "contact");
        var services = c.Services
            .Where(Vocabulary.ReferralServices.Contains)
            .Where(service => !(state.AnsweredAt.TryGetValue(service, out var answered) && answered > now && state.ConsentedServices.Contains(service) != c.Agreed))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (services.Count == 0)
        {
            return [];
        }

        var (scope, _, method) = Scope(services, [], c.Method);
        return c.Agreed
            ? [new ResidentConsentGiven(state.ResidentId, scope, [], method, c.ContactId, c.Actor, now)]
            : [new ResidentConsentWithdrawn(state.ResidentId, scope, [], method, c.ContactId, c.Actor, now)];
    }

    private static ImmutableDictionary<string, DateTimeOffset> Answered(ImmutableDictionary<string, DateTimeOffset> answered, IEnumerable<string> services, DateTimeOffset at)
    {
        foreach (var service in services)
        {
            if (!answered.TryGetValue(service, out var held) || held < at)
            {
                answered = answered.SetItem(service, at);
            }
        }

        return answered;
    }

    private static object[] Give(ResidentState state, GiveConsent c, DateTimeOffset now)
    {
        var (services, partners, method) = Scope(c.Services, c.Partners, c.Method);

        // Consent already held is not given again, so a retried request or a repeat "yes" adds nothing to the history.
        if (services.All(state.ConsentedServices.Contains) && partners.All(state.ConsentedPartners.Contains))
        {
            return [];
        }

        return [new ResidentConsentGiven(state.ResidentId, services, partners, method, c.ContactId, c.Actor, now)];
    }

    private static object[] Withdraw(ResidentState state, WithdrawConsent c, DateTimeOffset now)
    {
        var (services, partners, method) = Scope(c.Services, c.Partners, c.Method);
        var held = services.Where(state.ConsentedServices.Contains).ToList();
        var heldPartners = partners.Where(state.ConsentedPartners.Contains).ToList();
        if (held.Count == 0 && heldPartners.Count == 0)
        {
            return [];
        }

        return [new ResidentConsentWithdrawn(state.ResidentId, held, heldPartners, method, c.ContactId, c.Actor, now)];
    }

    private static (IReadOnlyList<string> Services, IReadOnlyList<string> Partners, string Method) Scope(IEnumerable<string>? services, IEnumerable<string>? partners, string? method)
    {
        var serviceCodes = Guard.Codes(services);
        var partnerCodes = Guard.Codes(partners);
        if (serviceCodes.Count == 0 && partnerCodes.Count == 0)
        {
            throw new DomainException("consent.scope-required", "Consent names at least one service or partner.");
        }

        var unknown = serviceCodes.FirstOrDefault(s => !Vocabulary.ReferralServices.Contains(s));
        if (unknown is not null)
        {
            throw new DomainException("consent.unknown-service", $"'{unknown}' is not a service consent can cover.");
        }

        var badPartner = partnerCodes.FirstOrDefault(p => !IsPartnerCode(p));
        if (badPartner is not null)
        {
            throw new DomainException("consent.invalid-partner", $"'{badPartner}' is not a partner code (letters, digits and dashes, at most {MaxPartnerCodeLength}).");
        }

        if (!ConsentMethods.IsKnown(method))
        {
            throw new DomainException("consent.unknown-method", $"'{method}' is not a way of obtaining consent; use {string.Join(", ", ConsentMethods.All)}.");
        }

        return (serviceCodes, partnerCodes, method!);
    }

    public const int MaxMergeReasonLength = 1000;

    private static string MergeReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason)
            ? throw new DomainException("resident.merge-reason-required", "Say why the two records are the same person, so the merge can be checked later.")
            : reason.Trim().Length > MaxMergeReasonLength
                ? throw new DomainException("resident.merge-reason-too-long", $"A merge reason is at most {MaxMergeReasonLength} characters.")
                : reason.Trim();

    private static object[] Absorb(ResidentState state, AbsorbResident c, DateTimeOffset now)
    {
        Guard.Id(c.MergedResidentId, "resident.merged-id-required", "resident to merge");
        var reason = MergeReason(c.Reason);
        if (c.MergedResidentId == state.ResidentId)
        {
            throw new DomainException("resident.merge-self", "A record cannot be merged into itself.");
        }

        return state.MergedResidentIds.Contains(c.MergedResidentId) ? [] : [new ResidentMerged(state.ResidentId, c.MergedResidentId, reason, c.Actor, now)];
    }

    /// <summary>
    /// A record that has taken others in is not merged away itself (merge the other way round): so a person is found
    /// in one record and those merged straight into it, never down a chain.
    /// </summary>
    private static object[] MergeInto(ResidentState state, MergeIntoResident c, DateTimeOffset now)
    {
        Guard.Id(c.IntoResidentId, "resident.merge-into-required", "resident to merge into");
        var reason = MergeReason(c.Reason);
        if (c.IntoResidentId == state.ResidentId)
        {
            throw new DomainException("resident.merge-self", "A record cannot be merged into itself.");
        }

        if (state.MergedInto is { } into)
        {
            return into == c.IntoResidentId ? [] : throw new DomainException("resident.already-merged", $"Resident {state.ResidentId} was already merged into {into}.");
        }

        if (!state.MergedResidentIds.IsEmpty)
        {
            throw new DomainException("resident.has-merged-records", $"Other records were merged into resident {state.ResidentId}: merge the other record into this one instead.");
        }

        return [new ResidentMergedInto(state.ResidentId, c.IntoResidentId, reason, c.Actor, now)];
    }

    private static object[] Erase(ResidentState state, EraseResident c, DateTimeOffset now)
    {
        var reference = ErasureBases.Checked(c.Basis, c.Reference);
        return state.Erased ? [] : [new ResidentErased(state.ResidentId, c.Basis, reference, c.Actor, now)];
    }

    private sealed record Details(string Name, DateOnly? DateOfBirth, string? Postcode, string? Phone, string? Email, string? MatchKey)
    {
        public static Details From(string? name, DateOnly? dateOfBirth, string? postcode, string? phone, string? email)
        {
            var trimmedName = ResidentName.Clean(name);
            if (trimmedName is null)
            {
                throw new DomainException("resident.name-required", "A resident needs a name.");
            }

            if (ResidentName.Problem(trimmedName) is { } problem)
            {
                throw new DomainException(problem.Code, problem.Message);
            }

            if (trimmedName.Length > MaxNameLength)
            {
                throw new DomainException("resident.name-too-long", $"A name can be at most {MaxNameLength} characters.");
            }

            var trimmedEmail = Blank(email);
            if (trimmedEmail is not null && !trimmedEmail.Contains('@', StringComparison.Ordinal))
            {
                throw new DomainException("resident.invalid-email", $"'{trimmedEmail}' is not an email address.");
            }

            var trimmedPostcode = Blank(postcode)?.ToUpperInvariant();
            return new Details(
                trimmedName,
                dateOfBirth,
                trimmedPostcode,
                Blank(phone),
                trimmedEmail,
                ResidentMatchKey.From(trimmedName, dateOfBirth, trimmedPostcode));
        }

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
