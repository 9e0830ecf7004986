using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vireo.Models;
using Vireo.Media;

namespace Vireo.Server.Security;

/// <summary>
/// Turns exceptions into problem details (RFC 9457) with a status that says whose fault it was and a message
/// meant for people: never a stack trace or an exception type. Unexpected errors are logged on the server and
/// reported to the client only as "internal error".
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        (int status, string title, string detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "bad request", "the request could not be read"),
            ArgumentException argument => (StatusCodes.Status400BadRequest, "bad request", argument.Message.Split(" (Parameter", 2)[0]),
            SpanOutOfRangeException span => (StatusCodes.Status400BadRequest, "bad request", span.Reason),
            MediaFileNotFoundException => (StatusCodes.Status404NotFound, "video file missing", "the video file is gone or unreadable"),
            MediaException media => (StatusCodes.Status422UnprocessableEntity, "the video cannot be read", media.Reason),
            ModelMismatchException mismatch => (StatusCodes.Status409Conflict, "model mismatch", mismatch.Message),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "cancelled", "the client went away"),
            _ => (StatusCodes.Status500InternalServerError, "internal error", "the server failed; its log says why"),
        };
        if (status >= 500)
            LogUnexpected(logger, httpContext.Request.Path, exception);
        httpContext.Response.StatusCode = status;
        await Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "request {Path} failed")]
    private static partial void LogUnexpected(ILogger logger, PathString path, Exception exception);
}
