using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Administering;
using FrontDoor.Server.Infrastructure.Messaging;

namespace FrontDoor.Server.Sla;

/// <summary>
/// Turns each deadline the log records into a scheduled message for its time: a referral's due time, a check-back's
/// day, and the day a contact left with its referrals is owed a check-back anyway. Each is recorded in the transaction
/// of the append that sets it, so a deadline exists exactly when its cause does, and outlives any node.
/// </summary>
public static class DeadlineScheduler
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddReaction<ReferralRaised, ReferralDeadline>((_, raised, _) => Reaction.AtTime(new ReferralDeadline(raised.ReferralId), raised.DueAt));
        services.AddReaction<FollowUpScheduled, CheckBackDeadline>((_, scheduled, _) => Reaction.AtTime(new CheckBackDeadline(scheduled.ContactId), scheduled.DueAt));
        services.AddReaction<ContactReceived, CheckBackAfterWaiting>((provider, received, _) =>
        {
            var owed = provider.GetRequiredService<PolicyStore>().Current.Sla.AddWorkingDays(received.At, provider.GetRequiredService<PolicyConfiguration>().CheckBackAfterWorkingDays);
            return Reaction.AtTime(new CheckBackAfterWaiting(received.ContactId), owed);
        });
        return services;
    }
}
