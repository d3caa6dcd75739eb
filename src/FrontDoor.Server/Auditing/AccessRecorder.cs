using FrontDoor.Domain;
using FrontDoor.Domain.Audit;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Auditing;

/// <summary>
/// Leaves a trace of every look at a resident's personal data: who, what, when and through which endpoint. The trace
/// is written before the data is returned, so a response is never sent that the log does not know about.
/// </summary>
public sealed class AccessRecorder
{
    private readonly IEventLog _store;
    private readonly TimeProvider _time;

    public AccessRecorder(IEventLog store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public Task RecordAsync(HttpContext http, string subject, Guid? residentId, Guid? contactId, CancellationToken cancellationToken)
    {
        var user = http.User;
        var role = Roles.All.FirstOrDefault(user.IsInRole) ?? "unknown";
        var viewed = new PersonalDataViewed(
            subject,
            residentId,
            contactId,
            http.Actor(),
            role,
            user.Service(),
            $"{http.Request.Method} {http.GetEndpoint()?.DisplayName ?? http.Request.Path.Value}",
            http.Actor(),
            _time.GetUtcNow());
        var data = DomainEventSerializer.ToEventData(viewed, Guid.NewGuid(), http.EventMetadata());
        return _store.AppendAsync(AccessStreams.For(residentId, contactId), ExpectedVersion.Any, [data], cancellationToken);
    }

    public async Task<IReadOnlyList<PersonalDataViewed>> ReadAsync(Guid residentId, CancellationToken cancellationToken)
    {
        var recorded = await _store.ReadStreamAsync(AccessStreams.For(residentId, null), cancellationToken: cancellationToken).ConfigureAwait(false);
        return DomainEventSerializer.DeserializeAll(recorded).OfType<PersonalDataViewed>().ToList();
    }
}
