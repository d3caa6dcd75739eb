using System.Diagnostics;
using FrontDoor.Domain;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Operations;
using FrontDoor.Server.ReadModels;
using FrontDoor.Server.Residents.FindingResident;
using Npgsql;

namespace FrontDoor.Benchmarks;

public sealed record SearchKindRun(string Kind, int Searches, Latencies Blind, Latencies Plain, double MeanMatchesShown);

public sealed record ResidentSearchRun(
    int Residents,
    double SeedSeconds,
    IReadOnlyList<SearchKindRun> Kinds,
    double BlindTableMb,
    double PlainTableMb,
    double InMemoryBuildSeconds,
    double InMemoryMb);

/// <summary>
/// "Tell us once" over a borough's residents without plaintext at rest. The residents are registered through the log
/// (sealed, each under a key of their own wrapped by the key ring; the inline read model keeps only blind index terms),
/// and the same people are written into a plaintext table shaped like the read model before (name, date of birth and
/// postcode in the clear, searched with LIKE): the raw baseline. Each look-up is timed as the endpoint makes it (terms,
/// candidates, their streams and keys, opened and folded) beside the plaintext query. The rejected alternative, an
/// index each node holds in memory, is costed by building it: every resident opened from the log at start-up.
/// </summary>
public static class ResidentSearchBenchmark
{
    public const string Schema = "bench_search";
    private const string PlainSchema = "bench_search_plain";
    private static readonly string KeyRingFile = Path.Combine(Path.GetTempPath(), "frontdoor-bench", Schema + ".keyring");

    private static readonly string[] FirstNames =
    [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Evie", "Rosie", "Sophia", "Florence", "Willow", "Ivy", "Ella", "Poppy",
        "Noah", "Oliver", "George", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie", "Henry", "Theodore", "Freddie", "Jack", "Charlie", "Thomas", "Dylan",
        "Aled", "Bethan", "Carys", "Dafydd", "Eleri", "Gethin", "Hywel", "Iestyn", "Lowri", "Megan", "Nia", "Owain", "Rhys", "Sioned", "Tomos", "Wyn",
        "Margaret", "Patricia", "Barbara", "Susan", "Dorothy", "Joan", "Kenneth", "Brian", "Derek", "Keith", "Maureen", "Sandra", "Colin", "Trevor", "Janet", "Pauline",
    ];

    private static readonly string[] Surnames =
    [
        "Smith", "Jones", "Williams", "Taylor", "Davies", "Brown", "Evans", "Wilson", "Thomas", "Roberts", "Johnson", "Lewis", "Walker", "Robinson", "Wood", "Thompson",
        "Wright", "White", "Hughes", "Edwards", "Green", "Hall", "Hughes", "Lloyd", "Morris", "Price", "Griffiths", "Owen", "Jenkins", "Morgan", "Parry", "Pritchard",
        "Khan", "Ahmed", "Patel", "Singh", "Begum", "Hussain", "Ali", "Shah", "Kowalski", "Nowak", "Murphy", "Kelly", "O'Brien", "Byrne", "Walsh", "Ryan",
        "Ashworth", "Bamford", "Cheetham", "Dunkerley", "Entwistle", "Fairclough", "Greenhalgh", "Hargreaves", "Illingworth", "Jepson", "Kershaw", "Leatherbarrow", "Mottershead", "Nuttall", "Openshaw", "Pilkington",
    ];

    public static async Task<ResidentSearchRun> RunAsync(string connectionString, int residents, int searchesPerKind, TextWriter log)
    {
        await using var plain = NpgsqlDataSource.Create(connectionString);
        await using (var drop = plain.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE; DROP SCHEMA IF EXISTS {PlainSchema} CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        // A new ring for a new schema, made as a node would make it (an operator's command never makes one).
        File.Delete(KeyRingFile);
        new KeyRingSource(null, KeyRingFile).Create(TimeProvider.System);
        var people = People(residents);
        double seedSeconds;
        await using (var seeding = await CliApp.OpenAsync("postgres", connectionString + ";Options=-c synchronous_commit=off", Schema, keyRingFile: KeyRingFile))
        {
            seedSeconds = await SeedAsync(seeding, people, log);
        }

        await SeedPlainAsync(plain, people);

        await using var store = await CliApp.OpenAsync("postgres", connectionString, Schema, keyRingFile: KeyRingFile);
        var vault = new PersonalDataVault(store, store.KeyRing!, TimeProvider.System);
        var random = new Random(19);
        var kinds = new List<SearchKindRun>();
        foreach (var (kind, query) in Queries())
        {
            var blind = new Latencies();
            var raw = new Latencies();
            long shown = 0;
            for (var i = 0; i < searchesPerKind; i++)
            {
                var (name, dob, postcode) = query(people[random.Next(people.Count)]);

                // Alternate which goes first, so neither always finds the other's pages warm.
                if (i % 2 == 0)
                {
                    shown += await TimeAsync(blind, () => BlindAsync(store, vault, name, dob, postcode));
                    await TimeAsync(raw, () => PlainAsync(plain, name, dob, postcode));
                }
                else
                {
                    await TimeAsync(raw, () => PlainAsync(plain, name, dob, postcode));
                    shown += await TimeAsync(blind, () => BlindAsync(store, vault, name, dob, postcode));
                }
            }

            kinds.Add(new SearchKindRun(kind, searchesPerKind, blind, raw, (double)shown / searchesPerKind));
            await log.WriteLineAsync($"  {kind}: blind index p50 {blind.Percentile(50):F2} ms p99 {blind.Percentile(99):F2} ms; plaintext p50 {raw.Percentile(50):F2} ms p99 {raw.Percentile(99):F2} ms");
        }

        var (buildSeconds, memoryMb) = await InMemoryIndexAsync(store, vault);
        await log.WriteLineAsync($"  an in-memory index of every resident: built in {buildSeconds:F1} s, {memoryMb:F0} MB");
        return new ResidentSearchRun(residents, seedSeconds, kinds, await SizeMbAsync(plain, $"{Schema}.rm_residents"), await SizeMbAsync(plain, $"{PlainSchema}.residents"), buildSeconds, memoryMb);
    }

    private sealed record Person(Guid Id, string Name, DateOnly DateOfBirth, string Postcode);

    private static List<Person> People(int count)
    {
        var random = new Random(2026);
        return Enumerable.Range(0, count).Select(_ => new Person(
            Guid.NewGuid(),
            $"{FirstNames[random.Next(FirstNames.Length)]} {Surnames[random.Next(Surnames.Length)]}",
            new DateOnly(1925, 1, 1).AddDays(random.Next(0, 36_000)),
            $"CH{random.Next(1, 9)} {random.Next(0, 10)}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}")).ToList();
    }

    private static IEnumerable<(string Kind, Func<Person, (string? Name, DateOnly? Dob, string? Postcode)> Query)> Queries() =>
    [
        ("the start of a surname (up to 4 letters)", p => (p.Name.Split(' ')[1][..Math.Min(4, p.Name.Split(' ')[1].Length)], null, null)),
        ("first name and surname", p => (p.Name, null, null)),
        ("date of birth", p => (null, p.DateOfBirth, null)),
        ("the start of a postcode (CH3 5)", p => (null, null, p.Postcode[..5])),
        ("name and date of birth", p => (p.Name, p.DateOfBirth, null)),
    ];

    private static async Task<int> TimeAsync(Latencies latencies, Func<Task<int>> search)
    {
        var started = Stopwatch.GetTimestamp();
        var shown = await search();
        latencies.AddSince(started);
        return shown;
    }

    /// <summary>The look-up <c>POST /api/residents/search</c> makes (<see cref="ResidentLookup"/>), without HTTP.</summary>
    private static async Task<int> BlindAsync(StoreConnection store, PersonalDataVault vault, string? name, DateOnly? dob, string? postcode) =>
        (await ResidentLookup.FindAsync(store, vault, Search.Name(name), dob, Search.Postcode(postcode), null, CancellationToken.None)).Count;

    /// <summary>The raw baseline: the plaintext read model's query as it was, details read straight from the row.</summary>
    private static async Task<int> PlainAsync(NpgsqlDataSource plain, string? name, DateOnly? dob, string? postcode)
    {
        var nameSearch = Search.Name(name);
        var postcodeSearch = Search.Postcode(postcode);
        await using var command = plain.CreateCommand($"""
            SELECT resident_id, name, date_of_birth, postcode FROM {PlainSchema}.residents
            WHERE (@name = '' OR name_search LIKE @nameLike ESCAPE '\')
              AND (CAST(@dob AS TEXT) IS NULL OR date_of_birth = @dob)
              AND (@postcode = '' OR postcode_search LIKE @postcodeLike ESCAPE '\')
            ORDER BY name_search, resident_id LIMIT 20
            """);
        command.Parameters.AddWithValue("name", nameSearch);
        command.Parameters.AddWithValue("nameLike", "%" + Search.LikeLiteral(nameSearch) + "%");
        command.Parameters.AddWithValue("dob", (object?)dob?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? DBNull.Value);
        command.Parameters.AddWithValue("postcode", postcodeSearch);
        command.Parameters.AddWithValue("postcodeLike", Search.LikeLiteral(postcodeSearch) + "%");
        await using var reader = await command.ExecuteReaderAsync();
        var shown = 0;
        while (await reader.ReadAsync())
        {
            _ = reader.GetString(1);
            shown++;
        }

        return shown;
    }

    private static async Task<double> SeedAsync(StoreConnection store, List<Person> people, TextWriter log)
    {
        var vault = new PersonalDataVault(store, store.KeyRing!, TimeProvider.System);
        var started = Stopwatch.GetTimestamp();
        long written = 0;
        const int writers = 4;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var i = writer; i < people.Count; i += writers)
            {
                var person = people[i];
                var metadata = new EventMetadata(person.Id.ToString("D"), null, "demo-agent-desk-3", null);
                var decided = ResidentDecider.Decide(ResidentState.Initial, new RegisterResident(person.Id, person.Name, person.DateOfBirth, person.Postcode, null, null, "demo-agent-desk-3"), DateTimeOffset.UtcNow);
                var events = await vault.ToEventDataAsync(decided, _ => Guid.NewGuid(), metadata, CancellationToken.None);
                await store.Events.AppendAsync(StreamIds.Resident(person.Id), ExpectedVersion.NoStream, events);
                if (Interlocked.Increment(ref written) % 50_000 == 0)
                {
                    await log.WriteLineAsync($"  registered {written:N0} residents");
                }
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await log.WriteLineAsync($"  registered {written:N0} residents through the log in {seconds:F1} s");
        return seconds;
    }

    private static async Task SeedPlainAsync(NpgsqlDataSource plain, List<Person> people)
    {
        await using (var create = plain.CreateCommand($"""
            CREATE SCHEMA {PlainSchema};
            CREATE TABLE {PlainSchema}.residents (resident_id TEXT PRIMARY KEY, name TEXT NOT NULL, name_search TEXT NOT NULL, date_of_birth TEXT NULL, postcode TEXT NULL, postcode_search TEXT NULL);
            """))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var copy = await plain.OpenConnectionAsync())
        await using (var writer = await copy.BeginBinaryImportAsync($"COPY {PlainSchema}.residents (resident_id, name, name_search, date_of_birth, postcode, postcode_search) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var person in people)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(person.Id.ToString("D"));
                await writer.WriteAsync(person.Name);
                await writer.WriteAsync(Search.Name(person.Name));
                await writer.WriteAsync(person.DateOfBirth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                await writer.WriteAsync(person.Postcode);
                await writer.WriteAsync(Search.Postcode(person.Postcode));
            }

            await writer.CompleteAsync();
        }

        // The plaintext model's one index, as it was (ReadModelSchema migration 1).
        await using var index = plain.CreateCommand($"CREATE INDEX ON {PlainSchema}.residents (date_of_birth); ANALYZE {PlainSchema}.residents; ANALYZE {Schema}.rm_residents");
        await index.ExecuteNonQueryAsync();
    }

    /// <summary>What a node would spend holding every resident's details in memory, opened from the log at start-up.</summary>
    private static async Task<(double Seconds, double Megabytes)> InMemoryIndexAsync(StoreConnection store, PersonalDataVault vault)
    {
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var started = Stopwatch.GetTimestamp();
        var index = new Dictionary<Guid, (string Name, DateOnly? DateOfBirth, string? Postcode)>();
        var head = await store.Events.ReadHeadPositionAsync();
        long after = 0;
        while (after < head)
        {
            var page = await store.Events.ReadAllAsync(after, 5_000);
            if (page.Count == 0)
            {
                break;
            }

            var residentEvents = page.Where(e => e.StreamId.StartsWith("resident-", StringComparison.Ordinal)).ToList();
            foreach (var stream in (await vault.OpenAsync(residentEvents, CancellationToken.None)).GroupBy(e => e.StreamId, StringComparer.Ordinal))
            {
                var state = Fold(stream);
                index[state.ResidentId] = (state.Name!, state.DateOfBirth, state.Postcode);
            }

            after = page[^1].Position;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var megabytes = (GC.GetTotalMemory(forceFullCollection: true) - before) / 1024.0 / 1024.0;
        GC.KeepAlive(index);
        return (seconds, megabytes);
    }

    private static ResidentState Fold(IEnumerable<RecordedEvent> events) =>
        events.Select(e => DomainEventSerializer.Deserialize(e)!).Aggregate(ResidentState.Initial, ResidentDecider.Evolve);

    private static async Task<double> SizeMbAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand($"SELECT pg_total_relation_size('{table}')");
        return (long)(await command.ExecuteScalarAsync())! / 1024.0 / 1024.0;
    }
}
