using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Routing;
using FrontDoor.Domain.Sla;
using FrontDoor.Domain.Tests.Support;
using static FrontDoor.Domain.Tests.Contacts.ContactData;

namespace FrontDoor.Domain.Tests.Contacts;

public sealed class ContactLifecycleTests
{
    [Fact]
    public void APhoneContactTravelsFromReceivedToClosed()
    {
        var history = new List<object>();
        var now = Times.Monday;

        ContactState Run(ContactCommand command)
        {
            history.AddRange(ContactDecider.Decide(ContactDecider.Fold(history), command, now));
            return ContactDecider.Fold(history);
        }

        var state = Run(new RecordContact(ContactId, ChannelCodes.Phone, null, null, Summary, [NeedCodes.Homelessness], true, Officer));
        Assert.Equal(ContactStatus.Received, state.Status);

        state = Run(new AssessNeeds(ContactId, [NeedCodes.Homelessness, NeedCodes.MoneyAndDebt], Officer));
        var decision = RoutingPolicy.Route(RoutingTable.Default, state.Needs, SlaPolicy.Default, now);
        foreach (var planned in decision.Referrals)
        {
            var id = RoutingPolicy.ReferralIdFor(ContactId, planned.Service, "contact-needs-assessed:2");
            state = Run(new RecordReferral(ContactId, id, planned.Service, planned.Priority, planned.DueAt, Router));
        }

        Assert.Equal(ContactStatus.Routed, state.Status);
        Assert.Equal(2, state.OpenReferrals.Count);

        now = now.AddDays(2);
        foreach (var link in state.OpenReferrals)
        {
            state = Run(new RecordReferralCompleted(ContactId, link.ReferralId, Officer));
        }

        Assert.Equal(ContactStatus.AwaitingFollowUp, state.Status);
        Assert.Equal(FollowUpReasons.AllReferralsCompleted, state.FollowUpReason);

        now = state.FollowUpDueAt!.Value;
        state = Run(new MarkFollowUpDue(ContactId, "system:clock"));
        Assert.Equal(ContactStatus.FollowUpDue, state.Status);

        state = Run(new CompleteFollowUp(ContactId, true, "All sorted", Officer));
        state = Run(new CloseContact(ContactId, Officer));

        Assert.Equal(ContactStatus.Closed, state.Status);
        Assert.Equal(history.Count, state.Version);
        Assert.Equal(2, state.CompletedReferralIds.Count);
    }
}
