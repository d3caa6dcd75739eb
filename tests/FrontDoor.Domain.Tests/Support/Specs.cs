using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Residents;

namespace FrontDoor.Domain.Tests.Support;

internal static class Specs
{
    public static Scenario<ContactState, ContactCommand> Contact() => new(ContactDecider.Fold, ContactDecider.Decide);

    public static Scenario<ContactState, ContactCommand> Contact(ContactPolicy policy) =>
        new(ContactDecider.Fold, (s, c, now) => ContactDecider.Decide(s, c, now, policy));

    public static Scenario<ReferralState, ReferralCommand> Referral() => new(ReferralDecider.Fold, ReferralDecider.Decide);

    public static Scenario<ResidentState, ResidentCommand> Resident() => new(ResidentDecider.Fold, ResidentDecider.Decide);
}
