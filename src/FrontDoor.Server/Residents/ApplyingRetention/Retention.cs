using System.Globalization;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Residents.ErasingResident;
using Wolverine;

namespace FrontDoor.Server.Residents.ApplyingRetention;

/// <summary>How long each kind of record is kept after its last activity (the council's retention schedule).</summary>
public sealed class RetentionOptions
{
    public const string Section = "PersonalData:Retention";

    /// <summary>A contact, counted from the last thing that happened on it.</summary>
    public TimeSpan Contacts { get; set; } = TimeSpan.FromDays(6 * 365);

    /// <summary>A referral, counted from its last update; one still open is never past it.</summary>
    public TimeSpan Referrals { get; set; } = TimeSpan.FromDays(6 * 365);

    public bool Enabled { get; set; } = true;

    /// <summary>The periods applied, as a reference in the erasure's code shape (e.g. "contacts-2190d/referrals-2190d").</summary>
    public string Reference => string.Create(
        CultureInfo.InvariantCulture,
        $"contacts-{Contacts.TotalDays:0.##}d/referrals-{Referrals.TotalDays:0.##}d");
}

/// <summary>The day a data subject — a resident, or a contact that named none — may have passed its retention periods.</summary>
public sealed record RetentionDate(Guid SubjectId);

/// <summary>
/// Sets a retention date as the log records what starts or ends a subject's activity: a contact received (dated by
/// the contact period) and a referral completed (by the longer of the two, since a contact's last activity may be
/// that completion), in the transaction of that append. The date is only where the subject is looked at;
/// <see cref="RetentionDateHandler"/> decides from the records as they stand and sets the next date itself while
/// there is later activity.
/// </summary>
public static class RetentionScheduler
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddReaction<ContactReceived, RetentionDate>((provider, received, _) =>
            provider.GetRequiredService<RetentionOptions>() is { Enabled: true } options
                ? Reaction.AtTime(new RetentionDate(received.DataSubjectId()), received.At + options.Contacts)
                : null);
        services.AddReaction<ReferralCompleted, RetentionDate>((provider, completed, _) =>
            provider.GetRequiredService<RetentionOptions>() is { Enabled: true } options
                ? Reaction.AtTime(new RetentionDate(completed.DataSubjectId()), completed.At + (options.Contacts > options.Referrals ? options.Contacts : options.Referrals))
                : null);
        return services;
    }
}

/// <summary>
/// Erases a subject whose records have all passed their retention periods: every contact and every referral, none of
/// the referrals still open. The erasure is recorded as an event (basis "retention") exactly as a manager's would be,
/// then the key is shredded. A subject with later activity is looked at again on the day that activity passes its
/// period; one with work still open is looked at again when that work completes.
/// </summary>
public static partial class RetentionDateHandler
{
    public const string Actor = "system:retention";

    /// <summary>
    /// The subject's last contact activity and last referral update, and its open referrals, from the read models;
    /// nothing when its key is already shredded.
    /// </summary>
    private const string Subject = """
        SELECT MAX(CASE WHEN c.resident_id IS NULL THEN 0 ELSE 1 END),
               MAX(COALESCE(c.last_event_at_ms, c.received_at_ms)),
               MAX(f.updated_at_ms),
               SUM(CASE WHEN f.status IN ('raised', 'claimed', 'accepted') THEN 1 ELSE 0 END)
        FROM rm_contacts c LEFT JOIN rm_referrals f ON f.contact_id = c.contact_id
        WHERE (c.resident_id = @subject
               OR c.resident_id IN (SELECT m.resident_id FROM rm_residents m WHERE m.merged_into = @subject)
               OR (c.resident_id IS NULL AND c.contact_id = @subject))
          AND NOT EXISTS (SELECT 1 FROM pd_keys k WHERE k.subject_id = @subject AND k.key_material IS NULL)
        HAVING COUNT(*) > 0
        """;

    public static async Task<object[]> Handle(RetentionDate date, StoreConnection store, PersonalDataErasure erasure, RetentionOptions options, TimeProvider time, ILogger<RetentionDate> logger, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return [];
        }

        // A record merged into another is the same person: its retention is the person's, counted over every record
        // they are held in, so old contacts on a merged record never erase someone still in touch.
        var subjectId = date.SubjectId;
        if ((await Streams.LoadAsync(store.Events, StreamKinds.Resident, subjectId, cancellationToken).ConfigureAwait(false)).State.MergedInto is { } into)
        {
            subjectId = into;
        }

        List<(bool IsResident, long LastActivityMs, long? LastReferralMs, long Open)> rows;
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            rows = await Sql.QueryAsync(
                connection,
                null,
                Subject,
                r => (r.GetInt64(0) == 1, r.GetInt64(1), r.IsDBNull(2) ? (long?)null : r.GetInt64(2), r.IsDBNull(3) ? 0 : r.GetInt64(3)),
                cancellationToken,
                ("subject", subjectId.ToString("D"))).ConfigureAwait(false);
        }

        if (rows is not [var subject] || subject.Open > 0)
        {
            return [];
        }

        var passesAt = Sql.FromUnixMs(subject.LastActivityMs) + options.Contacts;
        if (subject.LastReferralMs is { } lastReferral && Sql.FromUnixMs(lastReferral) + options.Referrals > passesAt)
        {
            passesAt = Sql.FromUnixMs(lastReferral) + options.Referrals;
        }

        if (passesAt > time.GetUtcNow())
        {
            return [new RetentionDate(subjectId).ScheduledAt(passesAt)];
        }

        var metadata = new EventMetadata(subjectId.ToString("D"), null, Actor, System.Diagnostics.Activity.Current?.Id);
        if (subject.IsResident)
        {
            await erasure.EraseAsync(subjectId, ErasureBases.Retention, options.Reference, metadata, expectedVersion: null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await erasure.EraseContactAsync(date.SubjectId, ErasureBases.Retention, options.Reference, metadata, cancellationToken).ConfigureAwait(false);
        }

        LogErased(logger, subjectId);
        return [];
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "{Subject} erased: every record passed its retention period")]
    private static partial void LogErased(ILogger logger, Guid subject);
}
