using System.Globalization;
using FrontDoor.Domain;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Infrastructure.Subscriptions;
using FrontDoor.Server.Residents.ErasingResident;

namespace FrontDoor.Server.Residents.ApplyingRetention;

/// <summary>How long each kind of record is kept after its last activity (the council's retention schedule).</summary>
public sealed class RetentionOptions
{
    public const string Section = "PersonalData:Retention";

    /// <summary>A contact, counted from the last thing that happened on it.</summary>
    public TimeSpan Contacts { get; set; } = TimeSpan.FromDays(6 * 365);

    /// <summary>A referral, counted from its last update; one still open is never past it.</summary>
    public TimeSpan Referrals { get; set; } = TimeSpan.FromDays(6 * 365);

    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromHours(1);

    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Erases residents whose records have all passed their retention periods: every contact and every referral, with
/// none of the referrals still open. Each erasure is recorded as an event (basis "retention") exactly as a
/// manager's would be, then the resident's key is shredded. A contact that named no resident is its own data
/// subject and is erased on the same terms, on its own stream.
/// </summary>
public sealed partial class RetentionSweep(StoreConnection store, PersonalDataErasure erasure, RetentionOptions options, TimeProvider time, ILogger<RetentionSweep> logger)
    : LeasedSweep(store, logger)
{
    public const string Actor = "system:retention";
    public const int SubjectsPerSweep = 200;

    /// <summary>
    /// Every data subject — a resident, or a contact that named none (its own subject) — whose last contact activity
    /// and every referral passed their periods, none still open, and whose key is not already shredded.
    /// </summary>
    private const string Due = """
        SELECT s.subject, s.is_resident FROM (
            SELECT COALESCE(c.resident_id, c.contact_id) AS subject,
                   MAX(CASE WHEN c.resident_id IS NULL THEN 0 ELSE 1 END) AS is_resident,
                   MAX(COALESCE(c.last_event_at_ms, c.received_at_ms)) AS last_activity_ms,
                   SUM(CASE WHEN f.status IN ('raised', 'claimed', 'accepted') OR f.updated_at_ms > @referralsCutoff THEN 1 ELSE 0 END) AS live_referrals
            FROM rm_contacts c LEFT JOIN rm_referrals f ON f.contact_id = c.contact_id
            GROUP BY COALESCE(c.resident_id, c.contact_id)) s
        WHERE s.last_activity_ms <= @contactsCutoff
          AND s.live_referrals = 0
          AND NOT EXISTS (SELECT 1 FROM pd_keys k WHERE k.subject_id = s.subject AND k.key_material IS NULL)
        ORDER BY s.subject
        LIMIT @limit
        """;

    protected override string LeaseName => "retention-sweep";

    protected override TimeSpan Interval => options.SweepEvery;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Enabled ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    public override async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<(Guid Subject, bool IsResident)> due;
        var connection = await Store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            due = await Sql.QueryAsync(
                connection,
                null,
                Due,
                r => (Guid.Parse(r.GetString(0)), r.GetInt64(1) == 1),
                cancellationToken,
                ("contactsCutoff", (now - options.Contacts).ToUnixMs()),
                ("referralsCutoff", (now - options.Referrals).ToUnixMs()),
                ("limit", SubjectsPerSweep)).ConfigureAwait(false);
        }

        // The periods applied, as a reference in the erasure's code shape (e.g. "contacts-2190d/referrals-2190d").
        var reference = string.Create(
            CultureInfo.InvariantCulture,
            $"contacts-{options.Contacts.TotalDays:0.##}d/referrals-{options.Referrals.TotalDays:0.##}d");
        foreach (var (subject, isResident) in due)
        {
            var metadata = new EventMetadata(subject.ToString("D"), null, Actor, System.Diagnostics.Activity.Current?.Id);
            try
            {
                if (isResident)
                {
                    await erasure.EraseAsync(subject, ErasureBases.Retention, reference, metadata, expectedVersion: null, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await erasure.EraseContactAsync(subject, ErasureBases.Retention, reference, metadata, cancellationToken).ConfigureAwait(false);
                }

                LogErased(logger, subject);
            }
            catch (WrongExpectedVersionException)
            {
                // The record changed meanwhile (a resident came back); the next sweep looks again with fresh figures.
            }
        }
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "{Subject} erased: every record passed its retention period")]
    private static partial void LogErased(ILogger logger, Guid subject);
}
