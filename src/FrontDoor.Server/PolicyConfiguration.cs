using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Routing;
using FrontDoor.Domain.Sla;
using FrontDoor.Domain.Triage;
using FrontDoor.Server.Administering;
using FrontDoor.Server.Triage.SuggestingNeeds;

namespace FrontDoor.Server;

/// <summary>
/// The council's rules as configuration (section <c>FrontDoor</c>): routing table, SLA targets and triage phrases
/// start from the defaults in the domain and can be overridden without a code change.
/// </summary>
public sealed class PolicyConfiguration
{
    public const string Section = "FrontDoor";

    public List<NeedRoute>? Routes { get; set; }

    public TimeSpan? ImmediateTarget { get; set; }

    public TimeSpan? UrgentTarget { get; set; }

    public int? StandardWorkingDays { get; set; }

    public int? FollowUpWorkingDays { get; set; }

    /// <summary>How long a contact may stay with its referrals before a check-back is due anyway.</summary>
    public int CheckBackAfterWorkingDays { get; set; } = 10;

    /// <summary>
    /// The most open referrals one worker may hold (claimed or assigned) before more is refused; none by default. A
    /// team manager sets it so that nobody quietly drowns while colleagues have room.
    /// </summary>
    public int? MaxOpenReferralsPerWorker { get; set; }

    public static IServiceCollection Register(IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<PolicyConfiguration>() ?? new PolicyConfiguration();
        var defaults = ContactPolicy.Default;
        var sla = defaults.Sla with
        {
            Immediate = settings.ImmediateTarget ?? defaults.Sla.Immediate,
            Urgent = settings.UrgentTarget ?? defaults.Sla.Urgent,
            StandardWorkingDays = settings.StandardWorkingDays ?? defaults.Sla.StandardWorkingDays,
            FollowUpWorkingDays = settings.FollowUpWorkingDays ?? defaults.Sla.FollowUpWorkingDays,
        };
        var routing = settings.Routes is { Count: > 0 } routes ? new RoutingTable(routes) : defaults.Routing;
        services.AddSingleton(settings);
        services.AddSingleton(new BasePolicy(defaults with { Sla = sla, Routing = routing }));

        // The policy in force comes from the log (admin changes are events); each request sees the latest read.
        services.AddSingleton<PolicyStore>();
        services.AddHostedService(provider => provider.GetRequiredService<PolicyStore>());
        services.AddScoped(provider => provider.GetRequiredService<PolicyStore>().Current);
        services.AddSingleton(TriageRules.Default);
        services.AddSingleton<NeedModelHost>();
        services.AddHostedService(provider => provider.GetRequiredService<NeedModelHost>());
        services.AddSingleton<TriageSuggestions>();
        return services;
    }
}
