using FrontDoor.Domain.Triage;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// Loads the language model once per process, off the start-up path: the server is ready while the model and the
/// corpus's embeddings load in the background, and suggestions asked for meanwhile come from the rules alone (an
/// agent typing never waits for a model). <c>Triage:Model</c> = <c>none</c> leaves the rules alone, for a host that
/// cannot spare the model's memory.
/// </summary>
public sealed partial class NeedModelHost(IConfiguration configuration, TriageRules rules, ILogger<NeedModelHost> logger) : IHostedService
{
    // One model per process however many hosts it runs (the test servers share one): the model holds no state
    // about any host, and loading it costs seconds of CPU and about 80 MB.
    private static readonly Lock Loading = new();
    private static Task<NeedModel?>? shared;

    public bool Enabled { get; } = !string.Equals(configuration["Triage:Model"], "none", StringComparison.OrdinalIgnoreCase);

    /// <summary>The model once it has loaded, else null (still loading, switched off, or failed: see <see cref="Status"/>).</summary>
    public NeedModel? Ready => Enabled && Start() is { IsCompletedSuccessfully: true } loaded ? loaded.Result : null;

    /// <summary><c>off</c>, <c>loading</c>, <c>ready</c> or <c>failed</c>.</summary>
    public string Status => !Enabled ? "off" : Start() switch
    {
        { IsCompletedSuccessfully: true, Result: not null } => "ready",
        { IsCompleted: true } => "failed",
        _ => "loading",
    };

    /// <summary>Waits for the model: for measuring it, never on a request's path.</summary>
    public Task<NeedModel?> GetAsync(CancellationToken cancellationToken) =>
        Enabled ? Start().WaitAsync(cancellationToken) : Task.FromResult<NeedModel?>(null);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            _ = Start();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task<NeedModel?> Start()
    {
        // Asked on every suggestion: once loading has begun, no lock.
        if (Volatile.Read(ref shared) is { } started)
        {
            return started;
        }

        lock (Loading)
        {
            return shared ??= Task.Run(() =>
            {
                try
                {
                    var model = NeedModel.Load(TriageCorpus.Tune, rules);
                    Loaded(logger, model.LoadedIn.TotalMilliseconds, model.Examples);
                    return model;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The rules still answer, so an agent still gets suggestions; the log says why the model did not.
                    NotLoaded(logger, ex);
                    return null;
                }
            });
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Triage model loaded in {Milliseconds:F0} ms with {Examples} examples")]
    private static partial void Loaded(ILogger logger, double milliseconds, int examples);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "The triage model could not be loaded; suggestions come from the phrase and safeguarding rules only")]
    private static partial void NotLoaded(ILogger logger, Exception exception);
}
