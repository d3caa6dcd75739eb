using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Contacts.ViewingContact;
using FrontDoor.Server.Figures.ViewingFigures;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.ReadModels;
using FrontDoor.Server.Staff;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDoor.Server.Operations;

/// <summary>
/// <c>frontdoor</c>: operators' commands against the configured store (appsettings.json in the working folder,
/// <c>Store__*</c> environment variables, or the options below). Without a connection string it joins the embedded
/// PostgreSQL in the data folder (starting it if FrontDoor is not running, and stopping only what it started).
/// </summary>
public static class CliApp
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Whether the command line names one of these commands (after any store options) rather than asking for the
    /// web server, so one binary is both: <c>FrontDoor.Server as-of …</c> and <c>FrontDoor.Server --urls …</c>.
    /// The names come from the commands themselves, so a command added below is recognised without a second list.
    /// </summary>
    public static bool IsCommand(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Commands(TextWriter.Null, TextWriter.Null);
        bool Names(Symbol symbol, string arg) => symbol.Name == arg || (symbol is Option option && option.Aliases.Contains(arg)) || (symbol is Command command && command.Aliases.Contains(arg));
        for (var i = 0; i < args.Count; i++)
        {
            switch (root.Options.FirstOrDefault(o => Names(o, args[i])))
            {
                case HelpOption or VersionOption:
                    return true;
                case { } storeOption when storeOption.Arity.MaximumNumberOfValues > 0:
                    i++;
                    continue;
            }

            return root.Subcommands.Any(c => Names(c, args[i]));
        }

        return false;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Commands(output, error).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EventLogException or InvalidOperationException or ArgumentException)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
    }

    private static RootCommand Commands(TextWriter output, TextWriter error)
    {
        var dataFolder = new Option<string?>("--data-folder") { Description = "The embedded PostgreSQL's data folder (default: Store:DataFolder, else data)", Recursive = true };
        var connection = new Option<string?>("--connection-string") { Description = "Npgsql connection string of a PostgreSQL server (default: Store:ConnectionString, else the embedded one)", Recursive = true };
        var schema = new Option<string?>("--schema") { Description = "PostgreSQL schema (default frontdoor)", Recursive = true };
        var keyRing = new Option<string?>("--key-ring-file") { Description = "The personal-data key ring (default: PersonalData:KeyRing or PersonalData:KeyRingFile, else the embedded store's data folder)", Recursive = true };
        var root = new RootCommand("FrontDoor operations: schema, messages and dead letters, history as of a time, exports.");
        root.Options.Add(dataFolder);
        root.Options.Add(connection);
        root.Options.Add(schema);
        root.Options.Add(keyRing);

        Task<StoreConnection> Open(ParseResult parsed, bool withAsyncProjections = false) => OpenAsync(parsed.GetValue(dataFolder), parsed.GetValue(connection), parsed.GetValue(schema), withAsyncProjections, parsed.GetValue(keyRing));

        var migrate = new Command("migrate", "Create or upgrade the schema (also done at start-up).");
        migrate.SetAction(async (parsed, ct) =>
        {
            await using var store = await Open(parsed).ConfigureAwait(false);
            await output.WriteLineAsync($"{store.Description}: schema is up to date.").ConfigureAwait(false);
            return 0;
        });
        root.Subcommands.Add(migrate);

        var messages = new Command("messages", "The head of the log and the reactions to it: waiting to be handled, scheduled for later, dead letters.");
        messages.SetAction(async (parsed, ct) =>
        {
            await using var store = await Open(parsed).ConfigureAwait(false);
            var head = await store.Events.ReadHeadPositionAsync(ct).ConfigureAwait(false);
            var connection = await store.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var counts = await DeadLetters.CountAsync(connection, ct).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"head of the log: {head}")).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"waiting: {counts.Waiting}  scheduled: {counts.Scheduled}  dead letters: {counts.DeadLetters}")).ConfigureAwait(false);
            }

            return 0;
        });
        root.Subcommands.Add(messages);

        var deadLettersCommand = new Command("dead-letters", "Messages (reactions to the log, deadlines, retention dates) that failed every retry.");
        var deadLettersList = new Command("list", "List dead letters with the error that stopped each.");
        deadLettersList.SetAction(async (parsed, ct) =>
        {
            await using var store = await Open(parsed).ConfigureAwait(false);
            var connection = await store.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var letters = await DeadLetters.ListAsync(connection, ct).ConfigureAwait(false);
                foreach (var letter in letters)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{letter.Id:D} {letter.MessageType} sent={letter.SentAt:u}{(letter.ReplayRequested ? " replay-requested" : string.Empty)}: {letter.ExceptionType}: {OneLine(letter.ExceptionMessage ?? string.Empty)}")).ConfigureAwait(false);
                }

                await output.WriteLineAsync($"{letters.Count} dead letter(s).").ConfigureAwait(false);
            }

            return 0;
        });
        var replayId = new Argument<Guid?>("id") { Description = "One dead letter's id (default: every one)", Arity = ArgumentArity.ZeroOrOne };
        var deadLettersReplay = new Command("replay", "Hand dead letters back to a running node, which handles each once.");
        deadLettersReplay.Arguments.Add(replayId);
        deadLettersReplay.SetAction(async (parsed, ct) =>
        {
            await using var store = await Open(parsed).ConfigureAwait(false);
            var connection = await store.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var requested = await DeadLetters.RequestReplayAsync(connection, parsed.GetValue(replayId), ct).ConfigureAwait(false);
                await output.WriteLineAsync($"{requested} dead letter(s) will be replayed by a running node.").ConfigureAwait(false);
            }

            return 0;
        });
        deadLettersCommand.Subcommands.Add(deadLettersList);
        deadLettersCommand.Subcommands.Add(deadLettersReplay);
        root.Subcommands.Add(deadLettersCommand);

        var when = new Argument<string>("when") { Description = "A log position, or a time (ISO 8601)" };
        var asOf = new Command("as-of", "A contact or a queue exactly as it stood at a position or time, replayed from the log.");
        asOf.Arguments.Add(when);
        var contactId = new Argument<Guid>("contact-id");
        var asOfContact = new Command("contact", "The contact as it stood then.");
        asOfContact.Arguments.Add(contactId);
        asOfContact.SetAction(async (parsed, ct) =>
        {
            await using var store = await Open(parsed).ConfigureAwait(false);
            var past = new AsOfEventLog(store.Events, await PositionAsync(store.Events, parsed.GetValue(when)!, ct).ConfigureAwait(false));
            var view = await ContactView.LoadAsync(past, new PersonalDataVault(store, store.KeyRing!, TimeProvider.System), parsed.GetValue(contactId), ct, new StaffDirectory(store, TimeProvider.System)).ConfigureAwait(false);
            if (view is null)
            {
                await error.WriteLineAsync("No such contact at that point.").ConfigureAwait(false);
                return 2;
            }

            // Signposts as the directory described them then.
            var policies = new Administering.PolicyStore(past, new Administering.BasePolicy(Domain.Contacts.ContactPolicy.Default), Microsoft.Extensions.Logging.Abstractions.NullLogger<Administering.PolicyStore>.Instance);
            await policies.RefreshAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync(JsonSerializer.Serialize(ContactView.WithSignpostDetails(view.Response, policies.Current.Directory), Json)).ConfigureAwait(false);
            return 0;
        });
        var service = new Argument<string>("service");
        var asOfQueue = new Command("queue", "A service's queue as it stood then.");
        asOfQueue.Arguments.Add(service);
        asOfQueue.SetAction(async (parsed, ct) =>
        {
            await using var store = await Open(parsed).ConfigureAwait(false);
            var position = await PositionAsync(store.Events, parsed.GetValue(when)!, ct).ConfigureAwait(false);
            var queue = await QueueAsOfAsync(store.Events, position, parsed.GetValue(service)!, ct).ConfigureAwait(false);
            await output.WriteLineAsync(JsonSerializer.Serialize(queue, Json)).ConfigureAwait(false);
            return 0;
        });
        asOf.Subcommands.Add(asOfContact);
        asOf.Subcommands.Add(asOfQueue);
        root.Subcommands.Add(asOf);

        var export = new Command("export", "Export a record's whole history as JSON.");
        var exportContact = new Command("contact", "Every event of the contact, its referrals and its resident, in log order.");
        var exportId = new Argument<Guid>("contact-id");
        exportContact.Arguments.Add(exportId);
        exportContact.SetAction(async (parsed, ct) =>
        {
            await using var store = await Open(parsed).ConfigureAwait(false);
            var history = await ExportAsync(store.Events, new PersonalDataVault(store, store.KeyRing!, TimeProvider.System), parsed.GetValue(exportId), ct).ConfigureAwait(false);
            if (history.Count == 0)
            {
                await error.WriteLineAsync("No such contact.").ConfigureAwait(false);
                return 2;
            }

            await output.WriteLineAsync(JsonSerializer.Serialize(history, Json)).ConfigureAwait(false);
            return 0;
        });
        export.Subcommands.Add(exportContact);
        root.Subcommands.Add(export);

        var keys = new Command("keys", "The personal-data key ring: the key-encryption keys the data subjects' keys are wrapped under.");
        var keysList = new Command("list", "Each key-encryption key of the ring, and how many subject keys are wrapped under it.");
        keysList.SetAction(async (parsed, ct) =>
        {
            await using var store = await Open(parsed).ConfigureAwait(false);
            var ring = store.KeyRing!.Ring;
            var connection = await store.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var counts = await PersonalDataKeys.StoredKeysAsync(connection, ct).ConfigureAwait(false);
                foreach (var kek in ring.KeyEncryptionKeys)
                {
                    var current = kek.Id == ring.Current.Id ? " (current)" : string.Empty;
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{kek.Id}{current}: created {kek.CreatedAt:u}, {counts.GetValueOrDefault(kek.Id)} subject keys")).ConfigureAwait(false);
                }
            }

            return 0;
        });
        var keysRotate = new Command("rotate", "Add a key-encryption key to the ring file and wrap every subject key again under it. Running nodes read the new ring from the file; the old key stays in the ring until it is retired.");
        keysRotate.SetAction(async (parsed, ct) =>
        {
            await using var store = await Open(parsed).ConfigureAwait(false);
            var connection = await store.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var (keyId, wrapped) = await store.KeyRing!.RotateAsync(connection, ct).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{keyId} is the current key-encryption key; {wrapped} subject keys wrapped again under it.")).ConfigureAwait(false);
            }

            return 0;
        });
        var retiredId = new Argument<string>("key-encryption-key-id");
        var keysRetire = new Command("retire", "Remove a key-encryption key from the ring file once no subject key is wrapped under it.");
        keysRetire.Arguments.Add(retiredId);
        keysRetire.SetAction(async (parsed, ct) =>
        {
            await using var store = await Open(parsed).ConfigureAwait(false);
            var id = parsed.GetValue(retiredId)!;
            var connection = await store.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await store.KeyRing!.RetireAsync(connection, id, ct).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"{id} retired from the ring.").ConfigureAwait(false);
            return 0;
        });
        keys.Subcommands.Add(keysList);
        keys.Subcommands.Add(keysRotate);
        keys.Subcommands.Add(keysRetire);
        root.Subcommands.Add(keys);

        var projection = new Argument<string>("read-model") { Description = $"One of: {RebuildableReadModels.Names}" };
        var rebuild = new Command("rebuild", "Rebuild a read model from the log with Marten's daemon; its rows are replaced in place, so the pages keep working meanwhile.");
        rebuild.Arguments.Add(projection);
        rebuild.SetAction(async (parsed, ct) =>
        {
            var model = RebuildableReadModels.Find(parsed.GetValue(projection)!)
                ?? throw new ArgumentException($"'{parsed.GetValue(projection)}' is not a read model; use one of: {RebuildableReadModels.Names}.");
            // The wall's day is kept by the servers' daemon, so only its rebuild needs the store to know it.
            await using var store = await Open(parsed, withAsyncProjections: model is DayActivityProjection).ConfigureAwait(false);
            var bar = new ProgressBar(output, ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
            var report = await store.RebuildAsync(model, bar, ct).ConfigureAwait(false);
            bar.Finish();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{report.Table}: {report.Rows:N0} rows, rebuilt up to position {report.Position} in {report.Elapsed.TotalSeconds:F1} s.")).ConfigureAwait(false);
            return 0;
        });
        root.Subcommands.Add(rebuild);

        var url = new Option<string>("--url") { Description = "The FrontDoor to drive (default http://127.0.0.1:5080)", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var rate = new Option<double>("--rate") { Description = "Contacts per second (default 2)", DefaultValueFactory = _ => 2 };
        var duration = new Option<TimeSpan>("--duration")
        {
            Description = "How long to run: 90s, 5m, 2h or hh:mm:ss (default 60s)",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(60),
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (ParseDuration(text) is { } parsedDuration)
                {
                    return parsedDuration;
                }

                result.AddError($"--duration: '{text}' is not a duration; use 90s, 5m, 2h or hh:mm:ss.");
                return TimeSpan.Zero;
            },
        };
        var seed = new Option<int>("--seed") { Description = "Random seed, for a repeatable day (default 1)", DefaultValueFactory = _ => 1 };
        var simulate = new Command("simulate", "Drive a running FrontDoor with a realistic day: contacts through every door, teams working their queues.");
        simulate.Options.Add(url);
        simulate.Options.Add(rate);
        simulate.Options.Add(duration);
        simulate.Options.Add(seed);
        simulate.SetAction(async (parsed, ct) =>
        {
            var address = new Uri(parsed.GetValue(url)!);
            var report = await new Simulator(() => new HttpClient { BaseAddress = address }, parsed.GetValue(seed), output)
                .RunAsync(parsed.GetValue(rate), TimeSpan.FromTicks(Math.Clamp(parsed.GetValue(duration).Ticks, TimeSpan.TicksPerSecond, TimeSpan.TicksPerDay)), ct).ConfigureAwait(false);
            return report.Failures == 0 ? 0 : 1;
        });
        root.Subcommands.Add(simulate);
        return root;
    }

    public static async Task<StoreConnection> OpenAsync(string? dataFolder, string? connectionString, string? schema, bool withAsyncProjections = false, string? keyRingFile = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
        options.DataFolder = dataFolder ?? options.DataFolder;
        options.ConnectionString = connectionString ?? options.ConnectionString;
        options.Schema = schema ?? options.Schema;

        if (keyRingFile is not null)
        {
            configuration[$"{KeyRingSource.Section}:KeyRingFile"] = keyRingFile;
        }

        var services = new ServiceCollection().AddFrontDoorSchema(KeyRingSource.From(configuration, options.DefaultKeyRingFile(Directory.GetCurrentDirectory())), createKeyRing: false);

        await using var provided = services.BuildServiceProvider();
        return await StoreRegistration.OpenAsync(options, Directory.GetCurrentDirectory(), provided, TimeProvider.System, ownEmbeddedServer: false, withAsyncProjections: withAsyncProjections).ConfigureAwait(false);
    }

    // One dead letter per line, so the list can be filtered line by line: a database error's message spans several.
    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static TimeSpan? ParseDuration(string text)
    {
        var unit = text.Length > 1 ? text[^1] : ' ';
        if (unit is 's' or 'm' or 'h' && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            return unit switch { 's' => TimeSpan.FromSeconds(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromHours(amount) };
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero ? span : null;
    }

    /// <summary>A number is a position; a time is the last position committed at or before it.</summary>
    private static async Task<long> PositionAsync(IEventLog store, string when, CancellationToken cancellationToken)
    {
        if (long.TryParse(when, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return position;
        }

        if (!DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new ArgumentException($"'{when}' is neither a log position nor a time.");
        }

        long last = 0;
        await foreach (var recorded in store.ReadAllUpToAsync(long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (recorded.Timestamp > time)
            {
                break;
            }

            last = recorded.Position;
        }

        return last;
    }

    private static async Task<QueueResponse> QueueAsOfAsync(IEventLog store, long position, string service, CancellationToken cancellationToken)
    {
        if (!Vocabulary.IsKnownService(service))
        {
            throw new ArgumentException($"'{service}' is not a service.");
        }

        var referrals = new Dictionary<string, (ReferralState State, long Version)>(StringComparer.Ordinal);
        await foreach (var recorded in store.ReadAllUpToAsync(position, cancellationToken).ConfigureAwait(false))
        {
            if (StreamName.CategoryOf(recorded.StreamId) == "referral" && DomainEventSerializer.Deserialize(recorded) is { } evt)
            {
                var state = referrals.TryGetValue(recorded.StreamId, out var known) ? known.State : ReferralState.Initial;
                referrals[recorded.StreamId] = (ReferralDecider.Evolve(state, evt), recorded.StreamVersion);
            }
        }

        var open = referrals.Values
            .Where(r => r.State.Service == service && r.State.Status is ReferralStatus.Raised or ReferralStatus.Claimed or ReferralStatus.Accepted)
            .OrderByDescending(r => PriorityCodes.Rank(r.State.Priority))
            .ThenBy(r => r.State.DueAt)
            .Select(r => new QueueItem("referral", r.State.ReferralId, r.State.ContactId, r.State.Priority!, r.State.Status, r.State.RaisedAt!.Value, r.State.DueAt!.Value, r.State.IsOverdue, r.State.Needs.Any(Vocabulary.IsSafeguarding), r.State.ClaimedBy, r.State.Needs, r.Version, r.State.HeldSince, r.State.Service))
            .ToList();
        return new QueueResponse(service, open);
    }

    /// <summary>Personal fields are exported opened where the subject's key exists and as null where they are erased.</summary>
    private static async Task<List<ExportedEvent>> ExportAsync(IEventLog store, PersonalDataVault vault, Guid contactId, CancellationToken cancellationToken)
    {
        var contact = await store.ReadStreamAsync(StreamIds.Contact(contactId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (contact.Count == 0)
        {
            return [];
        }

        var streams = new HashSet<string>(StringComparer.Ordinal);
        foreach (var evt in DomainEventSerializer.DeserializeAll(contact))
        {
            switch (evt)
            {
                case FrontDoor.Domain.Contacts.ContactReferred referred:
                    streams.Add(StreamIds.Referral(referred.ReferralId));
                    break;
                case FrontDoor.Domain.Contacts.ContactReceived { ResidentId: { } residentId }:
                    streams.Add(StreamIds.Resident(residentId));
                    break;
            }
        }

        var all = new List<RecordedEvent>(contact);
        foreach (var stream in streams)
        {
            all.AddRange(await store.ReadStreamAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        var opened = await vault.OpenAsync(all, cancellationToken).ConfigureAwait(false);
        return opened.OrderBy(e => e.Position)
            .Select(e => new ExportedEvent(e.Position, e.StreamId, e.StreamVersion, e.EventId, e.Type, e.Timestamp, e.Metadata.Actor, JsonDocument.Parse(e.Data).RootElement))
            .ToList();
    }
}

public sealed record ExportedEvent(long Position, string StreamId, long Version, Guid EventId, string Type, DateTimeOffset At, string? Actor, JsonElement Data);
