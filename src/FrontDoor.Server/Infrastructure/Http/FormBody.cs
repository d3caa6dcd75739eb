using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace FrontDoor.Server.Infrastructure.Http;

/// <summary>
/// Reads an HTML form's body as strictly as <see cref="JsonBody"/> reads JSON: the size limit holds however the body
/// arrives (declared length, chunked, or neither), and a body that cannot be read — no or broken multipart boundary,
/// a charset the pages never send, a body that stops part-way — is a refusal to answer, not an exception to log.
/// </summary>
public static class FormBody
{
    /// <summary>Why a form was not read, as the status and words to answer with.</summary>
    public sealed record Refusal(int Status, string Title, string Detail);

    public static async Task<(IFormCollection? Form, Refusal? Refusal)> ReadAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !request.HasFormContentType)
        {
            return (null, Unreadable("Send the form as it is on the page."));
        }

        // Pages are UTF-8 and browsers answer in the page's encoding; anything else is not one of our forms.
        var charset = type.Charset.HasValue ? type.Charset.Value!.Trim('"') : null;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Unreadable("Send the form as UTF-8, as the page does."));
        }

        if (request.ContentLength > maxBodyBytes)
        {
            return (null, TooLarge(maxBodyBytes));
        }

        // Kestrel stops reading at the limit itself; the counting stream holds it on any server, for chunked bodies too.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBodyBytes;
        }

        request.Body = new LimitedStream(request.Body, maxBodyBytes);
        try
        {
            var form = await request.ReadFormAsync(
                new FormOptions
                {
                    BufferBody = false,
                    ValueCountLimit = 64,
                    KeyLengthLimit = 64,
                    ValueLengthLimit = maxBodyBytes,
                    MultipartBodyLengthLimit = maxBodyBytes,
                    MultipartHeadersCountLimit = 8,
                    MultipartHeadersLengthLimit = 4 * 1024,
                },
                cancellationToken).ConfigureAwait(false);
            return (form, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBodyBytes));
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException or IOException or FormatException)
        {
            // Malformed (InvalidDataException: boundary, part headers, limits), or it ended early (IOException);
            // the sender's fault either way, and nothing of ours to trace.
            return (null, Unreadable("The form arrived incomplete or malformed. Go back to the form and send it again."));
        }
    }

    private static Refusal Unreadable(string detail) => new(StatusCodes.Status400BadRequest, "The form could not be read.", detail);

    private static Refusal TooLarge(int maxBodyBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "The form is too large.", $"The form is limited to {maxBodyBytes / 1024} KB. Shorten what you wrote and send it again.");

    /// <summary>A request body that refuses to be read past a limit.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit
                ? throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge)
                : read;
        }
    }
}
