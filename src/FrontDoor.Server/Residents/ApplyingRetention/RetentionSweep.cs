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

    private const string Due = """
        SELECT r.resident_id FROM rm_residents r
        WHERE EXISTS (SELECT 1 FROM rm_contacts c WHERE c.resident_id = r.resident_id)
          AND NOT EXISTS (
              SELECT 1 FROM rm_contacts c
              WHERE c.resident_id = r.resident_id AND COALESCE(c.last_event_at_ms, c.received_at_ms) > @contactsCutoff)
          AND NOT EXISTS (
              SELECT 1 FROM rm_referrals f JOIN rm_contacts c ON c.contact_id = f.contact_id
              WHERE c.resident_id = r.resident_id AND (f.status IN ('raised', 'claimed', 'accepted') OR f.updated_at_ms > @referralsCutoff))
        ORDER BY r.resident_id
        LIMIT @limit
        """;

    private const string AnonymousContactsDue = """
        SELECT c.contact_id FROM rm_contacts c
        WHERE c.resident_id IS NULL
          AND COALESCE(c.last_event_at_ms, c.received_at_ms) <= @contactsCutoff
          AND NOT EXISTS (
              SELECT 1 FROM rm_referrals f
              WHERE f.contact_id = c.contact_id AND (f.status IN ('raised', 'claimed', 'accepted') OR f.updated_at_ms > @referralsCutoff))
          AND NOT EXISTS (SELECT 1 FROM pd_keys k WHERE k.subject_id = c.contact_id AND k.key_material IS NULL)
        ORDER BY c.contact_id
        LIMIT @limit
        """;

    protected override string LeaseName => "retention-sweep";

    protected override TimeSpan Interval => options.SweepEvery;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Enabled ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    public override async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        (string Name, object? Value)[] cutoffs =
        [
            ("contactsCutoff", (now - options.Contacts).ToUnixMs()),
            ("referralsCutoff", (now - options.Referrals).ToUnixMs()),
            ("limit", SubjectsPerSweep),
        ];
        List<Guid> residents;
        List<Guid> anonymousContacts;
        var connection = await Store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            residents = await Sql.QueryAsync(connection, null, Due, r => Guid.Parse(r.GetString(0)), cancellationToken, cutoffs).ConfigureAwait(false);
            anonymousContacts = await Sql.QueryAsync(connection, null, AnonymousContactsDue, r => Guid.Parse(r.GetString(0)), cancellationToken, cutoffs).ConfigureAwait(false);
        }

        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"Every record passed its retention period (contacts {options.Contacts.TotalDays:0.##} days, referrals {options.Referrals.TotalDays:0.##} days).");
        foreach (var residentId in residents)
        {
            await EraseAsync(residentId, () => erasure.EraseAsync(residentId, ErasureBases.Retention, reason, Metadata(residentId), expectedVersion: null, cancellationToken)).ConfigureAwait(false);
        }

        foreach (var contactId in anonymousContacts)
        {
            await EraseAsync(contactId, () => erasure.EraseContactAsync(contactId, ErasureBases.Retention, reason, Metadata(contactId), cancellationToken)).ConfigureAwait(false);
        }
    }

    private static EventMetadata Metadata(Guid subject) =>
        new(subject.ToString("D"), null, Actor, System.Diagnostics.Activity.Current?.Id);

    private async Task EraseAsync(Guid subject, Func<Task> erase)
    {
        try
        {
            await erase().ConfigureAwait(false);
            LogErased(logger, subject);
        }
        catch (WrongExpectedVersionException)
        {
            // The record changed meanwhile (a resident came back); the next sweep looks again with fresh figures.
        }
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "{Subject} erased: every record passed its retention period")]
    private static partial void LogErased(ILogger logger, Guid subject);
}
