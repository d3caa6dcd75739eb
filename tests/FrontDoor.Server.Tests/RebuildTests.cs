using System.Data.Common;
using System.Globalization;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Operations;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>The <c>rebuild</c> command: a read model rebuilt from the log equals the one the live projection kept.</summary>
public sealed class RebuildTests
{
    private static readonly string[] Tables = ["rm_contacts", "rm_referrals", "rm_residents"];

    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task A_rebuilt_read_model_equals_the_live_projection_indexes_and_all(string backend)
    {
        var app = await FrontDoorApp.StartAsync(backend);
        try
        {
            var api = await Api.ForAsync(app);
            await RecordADayAsync(app, api);
            await app.CaughtUpAsync();

            Dictionary<string, List<string>> live;
            await using (var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None))
            {
                live = await SnapshotAsync(connection, backend);

                // Damage every table, so only a real rebuild from the log can bring them back.
                await Sql.ExecuteAsync(connection, null, "UPDATE rm_contacts SET status = 'damaged'", CancellationToken.None);
                await Sql.ExecuteAsync(connection, null, "DELETE FROM rm_referrals WHERE status = 'completed'", CancellationToken.None);
                await Sql.ExecuteAsync(connection, null, "DELETE FROM rm_residents", CancellationToken.None);
            }

            app.KeepData = true;
            await app.DisposeAsync();

            foreach (var name in new[] { "contacts", "referrals-read-model", "rm_residents" })
            {
                var output = await Frontdoor.RunAsync(app, "rebuild", name);
                Assert.Contains("rebuilt up to position", output, StringComparison.Ordinal);
                Assert.Contains("projecting the log [", output, StringComparison.Ordinal);
            }

            await using var store = await OpenStoppedAsync(app);
            await using var reopened = await store.OpenConnectionAsync(CancellationToken.None);
            var rebuilt = await SnapshotAsync(reopened, backend);
            foreach (var table in live.Keys)
            {
                Assert.Equal(live[table], rebuilt[table]);
            }
        }
        finally
        {
            await app.DisposeAsync();
            await app.DeleteDataAsync();
        }
    }

    [Fact]
    public async Task On_postgres_the_pages_keep_working_and_nothing_written_during_the_rebuild_is_missed()
    {
        var app = await FrontDoorApp.StartAsync("postgres");
        try
        {
            var api = await Api.ForAsync(app);
            var contacts = new List<Guid>();
            for (var i = 0; i < 10; i++)
            {
                contacts.Add(await api.RecordAsync(Api.Contact("web", ["homelessness"], $"Rebuild test contact {i}.")));
            }

            await app.CaughtUpAsync();
            Dictionary<string, List<string>> indexesBefore;
            await using (var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None))
            {
                indexesBefore = await IndexesAsync(connection, "postgres");
                await Sql.ExecuteAsync(connection, null, "UPDATE rm_contacts SET status = 'damaged'", CancellationToken.None);
                await Sql.ExecuteAsync(connection, null, "UPDATE rm_referrals SET status = 'damaged'", CancellationToken.None);
            }

            using var stop = new CancellationTokenSource();
            var pageReads = 0;
            var reading = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    using var queue = await api.Worker("housing").GetAsync("/api/queues/housing");
                    using var figures = await api.Manager.GetAsync("/api/figures");
                    Assert.True(queue.IsSuccessStatusCode && figures.IsSuccessStatusCode, $"pages failed during the rebuild: {queue.StatusCode} {figures.StatusCode}");
                    pageReads++;
                }
            });
            var writing = Task.Run(async () =>
            {
                for (var i = 0; i < 10; i++)
                {
                    contacts.Add(await api.RecordAsync(Api.Contact("phone", ["housing-advice", "money-and-debt"], $"Written during the rebuild {i}.")));
                }
            });

            await Frontdoor.RunAsync(app, "rebuild", "contacts");
            await Frontdoor.RunAsync(app, "rebuild", "referrals");
            await writing;
            await stop.CancelAsync();
            await reading;
            Assert.True(pageReads > 0);

            await app.CaughtUpAsync();
            await using var check = await app.Connection.OpenConnectionAsync(CancellationToken.None);
            Assert.Equal(0, await Sql.ScalarAsync(check, null, "SELECT COUNT(*) FROM rm_contacts WHERE status = 'damaged'", CancellationToken.None));
            Assert.Equal(0, await Sql.ScalarAsync(check, null, "SELECT COUNT(*) FROM rm_referrals WHERE status = 'damaged'", CancellationToken.None));
            Assert.Equal(indexesBefore, await IndexesAsync(check, "postgres"));

            // Every contact is there, and every referral row stands at its stream's version in the log.
            var rows = await Sql.QueryAsync(check, null, "SELECT contact_id FROM rm_contacts", r => Guid.Parse(r.GetString(0)), CancellationToken.None);
            Assert.Equal(contacts.Order(), rows.Order());
            var referralVersions = await Sql.QueryAsync(check, null, "SELECT referral_id, version FROM rm_referrals", r => (Guid.Parse(r.GetString(0)), r.GetInt64(1)), CancellationToken.None);
            var logVersions = (await app.Store.ReadAllUpToAsync(long.MaxValue).ToListAsync())
                .Where(e => StreamName.CategoryOf(e.StreamId) == "referral")
                .GroupBy(e => Guid.Parse(StreamName.IdOf(e.StreamId)))
                .Select(g => (g.Key, g.Max(e => e.StreamVersion)))
                .ToList();
            Assert.Equal(logVersions.Order(), referralVersions.Order());
            await app.SettledAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task Rebuild_names_an_unknown_read_model_and_changes_nothing(string backend)
    {
        var app = await FrontDoorApp.StartAsync(backend);
        app.KeepData = true;
        await app.DisposeAsync();
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            Assert.Equal(1, await CliApp.RunAsync([.. app.StoreArguments, "rebuild", "rm_events"], output, error));
            Assert.Contains("'rm_events' is not a read model", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await app.DeleteDataAsync();
        }
    }

    [Fact]
    public async Task Bug_16_the_days_activity_is_rebuilt_in_place_while_the_daemon_keeps_counting_and_nothing_counts_twice()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        await RecordADayAsync(app, api);
        var counted = Day(await api.FiguresAsync());
        Assert.Equal(4, counted.Contacts);

        // Damage the facts, then rebuild twice while the node's daemon runs: the day comes back, counted once.
        await using (var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None))
        {
            Assert.True(await Sql.ExecuteAsync(connection, null, "DELETE FROM rm_day_activity WHERE kind = 'contacts-site'", CancellationToken.None) > 0);
        }

        for (var i = 0; i < 2; i++)
        {
            var output = await Frontdoor.RunAsync(app, "rebuild", "day-activity");
            Assert.Contains("rebuilt up to position", output, StringComparison.Ordinal);
            Assert.Equal(counted, Day((await api.Manager.GetFromJsonAsync<FiguresResponse>("/api/figures"))!));
        }

        // And the daemon still counts what comes next.
        await api.RecordAsync(Api.Contact("lets-talk", ["carer-support"], "Caring for her father.", siteId: "lets-talk-blacon"));
        await app.CaughtUpAsync();
        await Eventually.True(async () => Day((await api.Manager.GetFromJsonAsync<FiguresResponse>("/api/figures"))!).Contacts == 5, "the contact after the rebuild counted", 60);
        Assert.Equal(3, (await api.FiguresAsync()).ContactsTodayBySite.Sum(s => s.Count));
        await app.SettledAsync();
    }

    /// <summary>The day's figures, as values that compare equal when every count is the same.</summary>
    private static (int Contacts, string Channels, string Sites, string Hours, string Referrals) Day(FiguresResponse figures) =>
        (figures.ContactsToday,
         string.Join(",", figures.ContactsTodayByChannel.Select(c => $"{c.Key}={c.Count}")),
         string.Join(",", figures.ContactsTodayBySite.Select(c => $"{c.Key}={c.Count}")),
         string.Join(",", figures.ContactsByHour),
         string.Join(",", figures.ReferralsByHour));

    private static async Task RecordADayAsync(FrontDoorApp app, Api api)
    {
        var first = await api.RecordAsync(Api.Contact("phone", ["homelessness", "money-and-debt"], "Eviction notice.", resident: new ResidentDetails("Ada Rebuild", "1980-02-03", "CH1 1AA", "07700 900123", null)));
        await api.RecordAsync(Api.Contact("web", ["housing-advice"], "Repairs.", resident: new ResidentDetails("Ben Rebuild", "1975-06-07", "CH2 2BB", null, "ben@example.org")));
        await api.RecordAsync(Api.Contact("lets-talk", ["carer-support"], "Caring for mother.", siteId: "lets-talk-blacon"));
        await api.RecordAsync(Api.Contact("welcoming-space", ["food-and-fuel"], "Needs a food bank.", siteId: "welcoming-space-chester-library"));
        await app.CaughtUpAsync();
        var referrals = (await api.ContactAsync(first)).Referrals;
        await api.WorkThroughAsync(referrals.Single(r => r.Service == "housing").ReferralId);
        await api.ActOkAsync(referrals.Single(r => r.Service == "poverty-support").ReferralId, "claim");
    }

    /// <summary>Every row of every read-model table in key order, and the tables' index names.</summary>
    private static async Task<Dictionary<string, List<string>>> SnapshotAsync(DbConnection connection, string backend)
    {
        var snapshot = await IndexesAsync(connection, backend);
        foreach (var table in Tables)
        {
            snapshot[table] = await Sql.QueryAsync(connection, null, $"SELECT * FROM {table} ORDER BY 1", Row, CancellationToken.None);
        }

        return snapshot;
    }

    private static async Task<Dictionary<string, List<string>>> IndexesAsync(DbConnection connection, string backend)
    {
        var indexes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            indexes[table + " indexes"] = await Sql.QueryAsync(
                connection,
                null,
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @table ORDER BY 1",
                r => r.GetString(0),
                CancellationToken.None,
                ("table", table));
        }

        return indexes;
    }

    private static string Row(DbDataReader reader) =>
        string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)));

    private static Task<StoreConnection> OpenStoppedAsync(FrontDoorApp app)
    {
        var arguments = app.StoreArguments;
        string? Value(string option) => Array.IndexOf(arguments, option) is var i and >= 0 ? arguments[i + 1] : null;
        return CliApp.OpenAsync(Value("--data-folder"), Value("--connection-string"), Value("--schema"), keyRingFile: Value("--key-ring-file"));
    }
}
