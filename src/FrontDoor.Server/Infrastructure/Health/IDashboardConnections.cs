namespace FrontDoor.Server.Infrastructure.Health;

/// <summary>What health and metrics need to know of the node's live dashboard connections, whoever keeps them.</summary>
public interface IDashboardConnections
{
    /// <summary>Connections open on this node.</summary>
    int Count { get; }

    /// <summary>Connections this node dropped because they stopped reading their pushes.</summary>
    long Dropped { get; }
}
