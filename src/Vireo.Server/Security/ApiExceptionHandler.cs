using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vireo.Errors;

namespace Vireo.Server.Security;

/// <summary>
/// Turns exceptions into problem details (RFC 9457) with a status that says whose fault it was and a message
/// meant for people: never a stack trace, an exception type or a server path (<see cref="VireoException.Reason"/>).
/// Unexpected errors are logged on the server and reported to the client only as "internal error". This is the one
/// place where errors become HTTP statuses.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        (int status, string title, string detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "bad request", Unreadable(bad)),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "cancelled", "the client went away"),
            _ => Problem(ErrorKinds.Of(exception), (exception as VireoException)?.Reason),
        };
        if (status >= 500)
            LogUnexpected(logger, httpContext.Request.Path, exception);
        httpContext.Response.StatusCode = status;
        await Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    private static (int Status, string Title, string Detail) Problem(ErrorKind kind, string? reason) => kind switch
    {
        ErrorKind.Usage => (StatusCodes.Status400BadRequest, "bad request", reason ?? "bad request"),
        ErrorKind.Input => (StatusCodes.Status422UnprocessableEntity, "unprocessable input", reason ?? "an input cannot be used"),
        ErrorKind.NotFound => (StatusCodes.Status404NotFound, "not found", reason ?? "not found"),
        ErrorKind.Conflict => (StatusCodes.Status409Conflict, "conflict", reason ?? "the request conflicts with the library's state"),
        ErrorKind.Dependency => (StatusCodes.Status503ServiceUnavailable, "unavailable", reason ?? "something the server needs is missing"),
        _ => (StatusCodes.Status500InternalServerError, "internal error", "the server failed; its log says why"),
    };

    /// <summary>What was wrong with a request that could not be read, without the type names of the framework's message.</summary>
    private static string Unreadable(BadHttpRequestException bad) => bad switch
    {
        { InnerException: JsonException } => "the body is not valid JSON, or a field has the wrong type",
        { StatusCode: StatusCodes.Status415UnsupportedMediaType } => "send the body as application/json",
        { StatusCode: StatusCodes.Status413PayloadTooLarge } => "the request body is too large",
        _ => "the request could not be read",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "request {Path} failed")]
    private static partial void LogUnexpected(ILogger logger, PathString path, Exception exception);
}
