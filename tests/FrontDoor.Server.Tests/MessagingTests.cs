using System.Reflection;
using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Residents.ApplyingRetention;
using FrontDoor.Server.Residents.ErasingResident;
using FrontDoor.Server.Routing;
using FrontDoor.Server.Sla;
using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Runtime;

namespace FrontDoor.Server.Tests;

/// <summary>
/// Wolverine finds handlers by class name and loads their code pre-generated (static type loading): a message that no
/// handler is found for, or whose generated code is missing, would be recorded with its cause and then never handled.
/// </summary>
public sealed class MessagingTests
{
    [Fact]
    public async Task Every_reaction_and_every_handler_class_has_its_pre_generated_handler()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var handlers = ((WolverineRuntime)app.Services.GetRequiredService<IWolverineRuntime>()).Handlers;

        // Every message the log's events cause (handlers only ever schedule the one they handle again).
        var messages = app.Services.GetServices<ReactionRule>().Select(r => r.MessageType).ToHashSet();
        Assert.Superset(
            new HashSet<Type> { typeof(RouteCause), typeof(ShredSubjectKey), typeof(ReferralDeadline), typeof(CheckBackDeadline), typeof(CheckBackAfterWaiting), typeof(RetentionDate) },
            messages);
        foreach (var message in messages)
        {
            Assert.True(handlers.HandlerFor(message) is not null, $"{message.Name} has no handler: it would be scheduled and never handled");
        }

        // A class named like a handler whose message is not handled means Wolverine ignored it (a signature it did not recognise).
        var handlerClasses = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Handler", StringComparison.Ordinal) && t.Namespace?.StartsWith("FrontDoor.Server", StringComparison.Ordinal) == true)
            .Select(t => (Type: t, Handle: t.GetMethod("Handle", BindingFlags.Public | BindingFlags.Static)))
            .Where(h => h.Handle is not null)
            .ToList();
        Assert.NotEmpty(handlerClasses);
        foreach (var (type, handle) in handlerClasses)
        {
            var message = handle!.GetParameters()[0].ParameterType;
            Assert.True(handlers.HandlerFor(message) is not null, $"{type.Name} handles {message.Name}, but Wolverine found no handler for it");
            Assert.Contains(message, messages);
        }
    }
}
