using FrontDoor.Server.Figures.ViewingFigures;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.ReadModels;

/// <summary>The read models an operator can have rebuilt, by their short name, their table's or their projection's.</summary>
public static class RebuildableReadModels
{
    public static IReadOnlyList<IRebuildableProjection> All { get; } =
    [
        new ContactsProjection(),
        new ReferralsProjection(),
        new ReadModel(ResidentsProjection.Name, ResidentsProjection.TableName),
        new DayActivityProjection(),
    ];

    public static string Names => string.Join(", ", All.Select(m => m.Table[3..]));

    public static IRebuildableProjection? Find(string name) =>
        All.FirstOrDefault(m => m.ProjectionName == name || m.Table == name || m.Table == "rm_" + name);

    /// <summary>A read model by its names alone: a rebuild runs the projection registered with the store under that name.</summary>
    private sealed record ReadModel(string ProjectionName, string Table) : IRebuildableProjection;
}
