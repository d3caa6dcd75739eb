using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Operations;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// One or more FrontDoor processes sharing a store of their own (a fresh PostgreSQL schema on the fault tests'
/// server, or one node's embedded PostgreSQL in the data folder) and a signing key, so any node accepts any client's token.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    private readonly List<ServerProcess> _nodes = [];

    private FaultCluster(ServerSettings settings) => Settings = settings;

    public ServerSettings Settings { get; }

    public IReadOnlyList<ServerProcess> Nodes => _nodes;

    public IReadOnlyList<Uri> Addresses => [.. _nodes.Select(n => n.Address)];

    public static async Task<FaultCluster> StartAsync(int nodes, string provider = "postgres", IReadOnlyDictionary<string, string>? environment = null)
    {
        var connectionString = provider == "embedded" ? string.Empty : await FaultDatabase.ConnectionStringAsync();
        var folder = Path.Combine(Path.GetTempPath(), "frontdoor-faults", Guid.NewGuid().ToString("N"));
        var settings = new ServerSettings(ServerSettings.BuiltServerDll(), connectionString, TestPostgres.NewSchema(), folder)
        {
            Provider = provider,
            Environment = environment ?? new Dictionary<string, string>(),
        };
        var cluster = new FaultCluster(settings);
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                await cluster.AddNodeAsync();
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<ServerProcess> AddNodeAsync()
    {
        var node = await ServerProcess.StartAsync(Settings);
        _nodes.Add(node);
        return node;
    }

    public async Task<IReadOnlyList<string>> TokensAsync(string role, int count, string? service = null) =>
        await Task.WhenAll(Enumerable.Range(1, count).Select(desk => _nodes[0].TokenAsync(role, service, desk)));

    /// <summary>The store as the CLI opens it: it joins an embedded server left running by a killed node, or starts it.</summary>
    public Task<StoreConnection> OpenStoreAsync() => Settings.IsEmbedded
        ? CliApp.OpenAsync(Settings.DataFolder, null, Settings.Schema)
        : CliApp.OpenAsync(null, Settings.ConnectionString, Settings.Schema, keyRingFile: TestPostgres.KeyRingFileFor(Settings.Schema));

    /// <summary>The end checks (<see cref="LogAudit"/>): live ones through a running node, then the log's with every node stopped.</summary>
    /// <summary>Runs <paramref name="sql"/> on the cluster's database: how a scenario injects its fault.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(Settings.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<AuditResult> AuditAsync(IReadOnlyList<AcknowledgedContact> acknowledged)
    {
        try
        {
            await LogAudit.WaitUntilCaughtUpAsync(_nodes);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}\n{await WaitingMessagesAsync()}\n{RecentLogs}", timeout);
        }

        var running = _nodes.First(n => n.IsRunning);
        using var manager = await running.SignInAsync("manager");
        var readModels = await LogAudit.CheckReadModelsAsync(manager, acknowledged, _nodes);
        foreach (var node in _nodes)
        {
            await node.KillAsync();
        }

        await using var store = await OpenStoreAsync();
        return await LogAudit.CheckLogAsync(store, acknowledged, readModels);
    }

    /// <summary>The reactions stored and not handled, with their owners and attempts, for a scenario that waited on them in vain.</summary>
    private async Task<string> WaitingMessagesAsync()
    {
        if (Settings.IsEmbedded)
        {
            return string.Empty;
        }

        await using var dataSource = Npgsql.NpgsqlDataSource.Create(Settings.ConnectionString);
        await using var command = dataSource.CreateCommand(
            $"SELECT message_type, status, owner_id, attempts, received_at FROM \"{Settings.Schema}\".wolverine_incoming_envelopes WHERE status <> 'Handled' ORDER BY execution_time NULLS FIRST LIMIT 20");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetString(0)} {reader.GetString(1)} owner {reader.GetInt32(2)} attempts {reader.GetInt32(3)} received at {(reader.IsDBNull(4) ? "-" : reader.GetString(4))}");
        }

        return $"messages not handled ({rows.Count}, at most 20 shown):\n{string.Join("\n", rows)}";
    }

    /// <summary>What the nodes last wrote, for a failing scenario's message.</summary>
    public string RecentLogs => string.Join("\n\n", _nodes.Select((n, i) => $"node {i}:\n{n.RecentLog}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (Settings.IsEmbedded)
        {
            // A killed node leaves its PostgreSQL running; joining it as its owner stops it on the way out.
            await using var embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(), Path.GetFullPath(Settings.DataFolder), ownServer: true, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        }
        else
        {
            await ServerSettings.DropSchemaAsync(Settings.ConnectionString, Settings.Schema);
        }

        if (Directory.Exists(Settings.DataFolder))
        {
            Directory.Delete(Settings.DataFolder, recursive: true);
        }
    }
}
