using FrontDoor.Domain.Catalogue;
using FrontDoor.Domain.Configuration;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Routing;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Administering;

/// <summary>
/// The policy in force: the configured base (appsettings over the domain's defaults) with the latest change of each
/// kind an admin made, read from the configuration streams. Every node refreshes it every couple of seconds and at
/// once after a change of its own, so a change reaches every node within the refresh interval.
/// </summary>
public sealed partial class PolicyStore : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly IEventLog _store;
    private readonly ContactPolicy _base;
    private readonly ILogger<PolicyStore> _logger;
    private volatile Snapshot _current;

    public PolicyStore(IEventLog store, BasePolicy basePolicy, ILogger<PolicyStore> logger)
    {
        _store = store;
        _base = basePolicy.Policy;
        _logger = logger;
        _current = new Snapshot(_base, 0, 0, 0, 0);
    }

    public ContactPolicy Current => _current.Policy;

    public Snapshot CurrentSnapshot => _current;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first request must already see the council's changes, not the defaults.
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var routing = await LatestAsync<RoutingTableChanged>(ConfigurationStreams.Routing, cancellationToken).ConfigureAwait(false);
        var sla = await LatestAsync<SlaTargetsChanged>(ConfigurationStreams.Sla, cancellationToken).ConfigureAwait(false);
        var sites = await LatestAsync<SiteCatalogueChanged>(ConfigurationStreams.Sites, cancellationToken).ConfigureAwait(false);
        var directory = await LatestAsync<DirectoryChanged>(ConfigurationStreams.Directory, cancellationToken).ConfigureAwait(false);

        var policy = _base with
        {
            Routing = routing.Event is { } r ? new RoutingTable(r.Routes) : _base.Routing,
            Sla = sla.Event is { } s
                ? _base.Sla with { Immediate = s.Immediate, Urgent = s.Urgent, StandardWorkingDays = s.StandardWorkingDays, FollowUpWorkingDays = s.FollowUpWorkingDays }
                : _base.Sla,
            Sites = sites.Event is { } c ? new SiteCatalogue(c.Sites) : _base.Sites,
            Directory = directory.Event is { } d ? new CommunityDirectory(d.Services) : _base.Directory,
        };
        _current = new Snapshot(policy, routing.Version, sla.Version, sites.Version, directory.Version);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RefreshInterval, stoppingToken).ConfigureAwait(false);
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Keep serving the last policy read; the database may be back at the next refresh.
                LogRefreshFailed(_logger, ex);
            }
        }
    }

    private async Task<(T? Event, long Version)> LatestAsync<T>(string stream, CancellationToken cancellationToken)
        where T : class
    {
        var recorded = await _store.ReadStreamAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (recorded.Count == 0)
        {
            return (null, 0);
        }

        return (DomainEventSerializer.Deserialize(recorded[^1]) as T, recorded[^1].StreamVersion);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Could not refresh the council's policy; keeping the last one read")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex);

    public sealed record Snapshot(ContactPolicy Policy, long RoutingVersion, long SlaVersion, long SitesVersion, long DirectoryVersion);
}

/// <summary>The policy before any admin change: the domain's defaults overridden by configuration.</summary>
public sealed record BasePolicy(ContactPolicy Policy);
