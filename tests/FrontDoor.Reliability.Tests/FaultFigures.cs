using System.Text.Json;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// Each scenario's figures, as one JSON file per scenario under .artifacts/reliability: ops/chaos.sh turns the
/// last run's into the results table of docs/reliability.md.
/// </summary>
public static class FaultFigures
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(ITestOutputHelper output, string scenario, IReadOnlyDictionary<string, object> figures)
    {
        var folder = Path.Combine(TestPostgres.RepositoryRoot(), ".artifacts", "reliability");
        Directory.CreateDirectory(folder);
        var document = new Dictionary<string, object>(figures) { ["scenario"] = scenario, ["scale"] = Scale.Name, ["at"] = DateTimeOffset.UtcNow };
        File.WriteAllText(Path.Combine(folder, scenario + ".json"), JsonSerializer.Serialize(document, Json));
        output.WriteLine($"{scenario} ({Scale.Name}): {string.Join(", ", figures.Select(f => $"{f.Key} {f.Value}"))}");
    }

    public static Dictionary<string, object> Of(AuditResult audit) => new()
    {
        ["acknowledged"] = audit.Acknowledged,
        ["lost"] = audit.Lost,
        ["recordedTwice"] = audit.RecordedTwice,
        ["referralsDuplicated"] = audit.ReferralsDuplicated,
        ["referralsMissing"] = audit.ReferralsMissing,
        ["withoutOwner"] = audit.NotOwned + audit.WithoutOwnerOnWall,
        ["messagesWaiting"] = audit.MessagesWaiting,
        ["deadLetters"] = audit.DeadLetters,
        ["events"] = audit.Events,
        ["countedOnWallOff"] = audit.CountedOnWallOff,
    };
}
