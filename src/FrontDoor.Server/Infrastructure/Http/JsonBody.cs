using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FrontDoor.Server.Infrastructure.Http;

/// <summary>
/// Reads a JSON request body strictly: wrong content type, malformed JSON, wrong types, unknown or duplicated
/// properties all become a 400 ProblemDetails that names the field, before anything is decided or stored.
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 32,
    };

    /// <summary>The API's request body limit: far above any honest request, far below anything that could hurt.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(
                title: "Unsupported media type",
                detail: "Send the request body as application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        var body = await ReadLimitedAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, TypedResults.Problem(
                title: "Request body too large",
                detail: $"The request body is limited to {MaxBodyBytes / 1024} KB.",
                statusCode: StatusCodes.Status413PayloadTooLarge));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body.AsSpan(), Strict);
            return value is null
                ? (null, Invalid("body", "A JSON object is required."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var field = FieldOf(ex.Path);
            return (null, Invalid(field, Describe(ex, field)));
        }
    }

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid.");

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    /// <summary>The body, or null when it is larger than the limit (checked on the declared length and on what arrives).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Describe(JsonException ex, string field)
    {
        // The serializer's messages name CLR types; say what is wrong in the request's own terms.
        var message = ex.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"'{field}' is not a field of this request.";
        }

        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{field}' appears more than once.";
        }

        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return "The JSON is nested too deeply.";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"'{field}' has the wrong type.";
        }

        return ex.LineNumber is { } line
            ? $"The body is not valid JSON (line {line + 1}, position {ex.BytePositionInLine + 1})."
            : "The body is not valid JSON.";
    }
}
