using System.Buffers;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Marten;
using Npgsql;
using Weasel.Core;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>
/// Marten's serializer for FrontDoor's events. An event is appended with the JSON the product prepared for it (its
/// personal fields sealed under the data subject's key), and that JSON is what Marten writes, byte for byte. Marten
/// never serialises a value with personal fields itself: one that reaches it any other way (an append that bypassed
/// the vault) is refused here, so plaintext personal data cannot reach Marten's tables. Reading is System.Text.Json's,
/// except that a value with personal fields is read as stored, sealed fields and all, by the reader it was given
/// (the product's reads them as null), so Marten's own reads (its daemon's pages) never fail on a sealed field.
/// </summary>
public sealed class PreparedEventSerializer : Marten.ISerializer
{
    // Weak keys: an event's prepared JSON lives exactly as long as the event object being appended.
    private static readonly ConditionalWeakTable<object, string> PreparedJson = new();

    // Weak keys too: the JSON an event read from the log was stored with, for as long as the event object lives.
    private static readonly ConditionalWeakTable<object, string> StoredJson = new();

    private readonly Marten.Services.SystemTextJsonSerializer _json = new() { Casing = Casing.CamelCase };
    private readonly Func<Type, bool> _holdsPersonalData;
    private readonly Func<string, Type, object>? _readSealed;
    private readonly HashSet<Type> _eventTypes;

    /// <param name="eventTypes">
    /// The events' types: with <paramref name="readSealed"/>, each is read by it from the JSON as stored, which is kept
    /// with the event read (<see cref="TryGetStored"/>).
    /// </param>
    public PreparedEventSerializer(JsonSerializerOptions options, Func<Type, bool> holdsPersonalData, Func<string, Type, object>? readSealed = null, IEnumerable<Type>? eventTypes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _holdsPersonalData = holdsPersonalData;
        _readSealed = readSealed;
        _eventTypes = eventTypes?.ToHashSet() ?? [];
        _json.Configure(marten =>
        {
            marten.PropertyNamingPolicy = options.PropertyNamingPolicy;
            marten.PropertyNameCaseInsensitive = options.PropertyNameCaseInsensitive;
            marten.NumberHandling = options.NumberHandling;
        });
    }

    public EnumStorage EnumStorage => _json.EnumStorage;

    public Casing Casing => _json.Casing;

    public ValueCasting ValueCasting => _json.ValueCasting;

    /// <summary>The JSON Marten is to write for <paramref name="domainEvent"/> when it is appended.</summary>
    public static void Prepare(object domainEvent, string json) => PreparedJson.AddOrUpdate(domainEvent, json);

    /// <summary>The JSON prepared for an event being appended: what the log will hold for it.</summary>
    public static bool TryGetPrepared(object domainEvent, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? json) =>
        PreparedJson.TryGetValue(domainEvent, out json);

    /// <summary>The JSON the log holds for an event Marten read from it.</summary>
    public static bool TryGetStored(object domainEvent, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? json) =>
        StoredJson.TryGetValue(domainEvent, out json);

    public string ToJson(object? document) =>
        document is not null && PreparedJson.TryGetValue(document, out var json) ? json : _json.ToJson(Refuse(document));

    public void WriteTo(IBufferWriter<byte> writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is not null && PreparedJson.TryGetValue(value, out var json))
        {
            var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(json.Length));
            writer.Advance(Encoding.UTF8.GetBytes(json, span));
            return;
        }

        _json.WriteTo(writer, Refuse(value));
    }

    public string ToCleanJson(object? document) => _json.ToCleanJson(Refuse(document));

    public void WriteToCleanJson(IBufferWriter<byte> writer, object? value) => _json.WriteToCleanJson(writer, Refuse(value));

    public string ToJsonWithTypes(object document) => _json.ToJsonWithTypes(Refuse(document)!);

    public void WriteToJsonWithTypes(IBufferWriter<byte> writer, object value) => _json.WriteToJsonWithTypes(writer, Refuse(value)!);

    public void WriteToParameter(NpgsqlParameter parameter, object? value) => _json.WriteToParameter(parameter, Refuse(value));

    public void WriteToParameter(DbParameter parameter, object? value) => ((Weasel.Storage.IStorageSerializer)_json).WriteToParameter(parameter, Refuse(value));

    public T FromJson<T>(Stream stream) => (T)FromJson(typeof(T), stream);

    public T FromJson<T>(DbDataReader reader, int index) => (T)FromJson(typeof(T), reader, index);

    public object FromJson(Type type, Stream stream) => Sealed(type) is { } read ? read(ReadAll(stream), type) : _json.FromJson(type, stream);

    public object FromJson(Type type, DbDataReader reader, int index) =>
        Sealed(type) is { } read ? read(NotNull(reader).GetFieldValue<string>(index), type) : _json.FromJson(type, reader, index);

    public async ValueTask<T> FromJsonAsync<T>(Stream stream, CancellationToken cancellationToken = default) =>
        (T)await FromJsonAsync(typeof(T), stream, cancellationToken).ConfigureAwait(false);

    public async ValueTask<T> FromJsonAsync<T>(DbDataReader reader, int index, CancellationToken cancellationToken = default) =>
        (T)await FromJsonAsync(typeof(T), reader, index, cancellationToken).ConfigureAwait(false);

    public async ValueTask<object> FromJsonAsync(Type type, Stream stream, CancellationToken cancellationToken = default) =>
        Sealed(type) is { } read ? read(await ReadAllAsync(stream, cancellationToken).ConfigureAwait(false), type) : await _json.FromJsonAsync(type, stream, cancellationToken).ConfigureAwait(false);

    public async ValueTask<object> FromJsonAsync(Type type, DbDataReader reader, int index, CancellationToken cancellationToken = default) =>
        Sealed(type) is { } read
            ? read(await NotNull(reader).GetFieldValueAsync<string>(index, cancellationToken).ConfigureAwait(false), type)
            : await _json.FromJsonAsync(type, reader, index, cancellationToken).ConfigureAwait(false);

    private static DbDataReader NotNull(DbDataReader reader) => reader ?? throw new ArgumentNullException(nameof(reader));

    private static string ReadAll(Stream stream)
    {
        using var text = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        return text.ReadToEnd();
    }

    private static async Task<string> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        return await text.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private Func<string, Type, object>? Sealed(Type type) =>
        _readSealed is null ? null
        : _eventTypes.Contains(type) ? ReadKeepingStored
        : _holdsPersonalData(type) ? _readSealed
        : null;

    private object ReadKeepingStored(string json, Type type)
    {
        var value = _readSealed!(json, type);
        StoredJson.AddOrUpdate(value, json);
        return value;
    }

    private object? Refuse(object? document) =>
        document is not null && _holdsPersonalData(document.GetType())
            ? throw new InvalidOperationException($"{document.GetType().Name} holds personal data and was not sealed; append it through the personal data vault.")
            : document;
}
