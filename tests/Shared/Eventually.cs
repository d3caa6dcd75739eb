namespace FrontDoor.Testing;

/// <summary>Waits for a condition the system reaches on its own (a clock sweep, a lease taken over), never for a fixed time.</summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }

    public static Task True(Func<bool> condition, string what, int seconds = 20) =>
        True(() => Task.FromResult(condition()), what, seconds);
}
