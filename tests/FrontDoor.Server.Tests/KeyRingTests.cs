using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Operations;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// Data subjects' keys are stored only wrapped under a key-encryption key held outside the database: a copy of the
/// database alone opens nothing, a server without its ring refuses to start over existing data, and the ring's key
/// can be rotated while the server runs.
/// </summary>
public sealed class KeyRingTests
{
    private static readonly ResidentDetails Ottilie = new("Ottilie Brackenbury", "1958-02-23", "CH4 7QW", "07700 900777", "ottilie@example.org");

    [Fact]
    public async Task Bug_19_subject_keys_are_stored_only_wrapped_and_the_database_holds_no_key_that_opens_a_field()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Ottilie));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(contactId)).ResidentId!.Value;

        var ring = KeyRing.Parse(await File.ReadAllTextAsync(app.KeyRingFile));
        var stored = await StoredKeysAsync(app);
        Assert.NotEmpty(stored);
        Assert.All(stored, k => Assert.Equal((ring.Current.Id, true), (k.KeyId, k.Material.StartsWith($"kw1:{ring.Current.Id}:", StringComparison.Ordinal))));

        // The resident's key, unwrapped with the ring, opens their sealed name; the key itself is nowhere in the table.
        var wrapped = stored.Single(k => k.Subject == residentId).Material;
        var key = new KeyRingWrapping(ring).Unwrap(residentId, wrapped);
        var registered = (await app.Store.ReadStreamAsync(StreamIds.Resident(residentId)))[0];
        var opened = Assert.IsType<ResidentRegistered>(DomainEventSerializer.Deserialize(PersonalDataVault.Open(registered, typeof(ResidentRegistered), residentId, key)));
        Assert.Equal(Ottilie.Name, opened.Name);
        var everyStoredByte = string.Join('\n', stored.Select(k => k.Material));
        Assert.DoesNotContain(Convert.ToBase64String(key), everyStoredByte, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(key), everyStoredByte, StringComparison.OrdinalIgnoreCase);

        // Wrapped for one subject, a key does not open for another (a row copied onto someone else's).
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => new KeyRingWrapping(ring).Unwrap(contactId, wrapped));

        // The record's id is a keyed digest of what identifies the person, not one anyone could compute from it.
        var unkeyed = ResidentIdentity.StreamIdFor(ResidentMatchKey.From(Ottilie.Name, DateOnly.Parse(Ottilie.DateOfBirth!, System.Globalization.CultureInfo.InvariantCulture), Ottilie.Postcode)!);
        Assert.NotEqual(unkeyed, residentId);
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_19_without_its_key_ring_the_server_refuses_to_start_over_existing_data_rather_than_make_a_new_one()
    {
        var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Ottilie));
        await app.CaughtUpAsync();
        app.KeepData = true;
        await app.DisposeAsync();

        var ringFile = app.KeyRingFile;
        var kept = ringFile + ".kept";
        File.Move(ringFile, kept);
        try
        {
            var missing = await Assert.ThrowsAnyAsync<Exception>(() => app.RestartedAsync());
            Assert.Contains("no personal-data key ring", Innermost(missing).Message, StringComparison.Ordinal);
            Assert.False(File.Exists(ringFile), "a new ring was made over existing data");

            // Another ring is no better: it cannot unwrap what is stored, and says which key is missing.
            await File.WriteAllTextAsync(ringFile, KeyRing.New(TimeProvider.System).Serialise());
            var other = await Assert.ThrowsAnyAsync<Exception>(() => app.RestartedAsync());
            Assert.Contains($"lacks key-encryption key(s) {KeyRing.Parse(await File.ReadAllTextAsync(kept)).Current.Id}", Innermost(other).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Move(kept, ringFile, overwrite: true);
        }

        // With its own ring back, the server starts and opens the resident's details again.
        await using var restarted = await app.RestartedAsync();
        var again = await Api.ForAsync(restarted);
        Assert.Equal(Ottilie.Name, (await again.ContactAsync(contactId)).Resident?.Name);
    }

    [Fact]
    public async Task Bug_19_keys_stored_before_they_were_wrapped_are_wrapped_under_the_ring_made_at_the_next_start()
    {
        var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Ottilie));
        await app.CaughtUpAsync();
        app.KeepData = true;
        var ring = KeyRing.Parse(await File.ReadAllTextAsync(app.KeyRingFile));
        var stored = await StoredKeysAsync(app);
        await using (var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None))
        {
            // As a store from before the ring held them: the key's own bytes, no key-encryption key named.
            foreach (var (subject, material, _) in stored)
            {
                await Sql.ExecuteAsync(connection, null, "UPDATE pd_keys SET key_material = @raw, kek_id = NULL WHERE subject_id = @subject", CancellationToken.None, ("raw", Convert.ToBase64String(new KeyRingWrapping(ring).Unwrap(subject, material))), ("subject", subject.ToString("D")));
            }
        }

        await app.DisposeAsync();
        File.Delete(app.KeyRingFile);
        await using var restarted = await app.RestartedAsync();
        var made = KeyRing.Parse(await File.ReadAllTextAsync(app.KeyRingFile)).Current.Id;
        Assert.NotEqual(ring.Current.Id, made);
        Assert.Equal(stored.Count, (await StoredKeysAsync(restarted)).Count(k => k.KeyId == made && k.Material.StartsWith("kw1:", StringComparison.Ordinal)));
        Assert.Equal(Ottilie.Name, (await (await Api.ForAsync(restarted)).ContactAsync(contactId)).Resident?.Name);
    }

    [Fact]
    public async Task Bug_19_rotating_the_key_encryption_key_wraps_every_subject_key_again_while_the_server_runs()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Ottilie));
        await app.CaughtUpAsync();
        var before = KeyRing.Parse(await File.ReadAllTextAsync(app.KeyRingFile)).Current.Id;

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync([.. app.StoreArguments, "keys", "rotate"], output, error));
        var after = KeyRing.Parse(await File.ReadAllTextAsync(app.KeyRingFile)).Current.Id;
        Assert.NotEqual(before, after);
        Assert.All(await StoredKeysAsync(app), k => Assert.Equal(after, k.KeyId));

        // The running server reads the rotated ring: it opens what is wrapped under the new key and wraps new subjects under it.
        Assert.Equal(Ottilie.Name, (await api.ContactAsync(first)).Resident?.Name);
        var second = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], resident: new ResidentDetails("Caradog Pryce", "1990-01-30", "CH1 4BB", null, null)));
        await app.CaughtUpAsync();
        Assert.Equal("Caradog Pryce", (await api.ContactAsync(second)).Resident?.Name);
        Assert.All(await StoredKeysAsync(app), k => Assert.Equal(after, k.KeyId));

        // The current key cannot be retired; the old one, wrapping nothing now, can.
        Assert.Equal(1, await CliApp.RunAsync([.. app.StoreArguments, "keys", "retire", after], output, error));
        Assert.Equal(0, await CliApp.RunAsync([.. app.StoreArguments, "keys", "retire", before], output, error));
        Assert.Equal([after], KeyRing.Parse(await File.ReadAllTextAsync(app.KeyRingFile)).KeyEncryptionKeys.Select(k => k.Id));
        Assert.Equal(Ottilie.Name, (await api.ContactAsync(first)).Resident?.Name);
        await app.SettledAsync();
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }

    private static async Task<List<(Guid Subject, string Material, string? KeyId)>> StoredKeysAsync(FrontDoorApp app)
    {
        await using var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None);
        return await Sql.QueryAsync(
            connection,
            null,
            "SELECT subject_id, key_material, kek_id FROM pd_keys WHERE key_material IS NOT NULL",
            r => (Guid.Parse(r.GetString(0)), r.GetString(1), r.NullableString(2)),
            CancellationToken.None);
    }
}
