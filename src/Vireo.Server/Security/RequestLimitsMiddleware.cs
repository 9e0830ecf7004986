using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Vireo.Server.Configuration;

namespace Vireo.Server.Security;

/// <summary>
/// Refuses request bodies larger than <see cref="ServerOptions.MaxRequestBodyBytes"/> with 413 before anything
/// reads them (Kestrel enforces the same limit on bodies without a length), and query strings longer than a query
/// could need with 414. Hosts that cannot limit a body of unknown length get it wrapped in <see cref="BoundedBodyStream"/>.
/// </summary>
internal sealed class RequestLimitsMiddleware(RequestDelegate next, ServerOptions options)
{
    /// <summary>Room for the longest accepted query percent-encoded (a character is at most 4 UTF-8 bytes, 12 characters encoded) and a few parameters.</summary>
    private readonly int _maxQueryString = options.Search.MaxQueryLength * 12 + 256;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > options.MaxRequestBodyBytes)
            return Refuse(context, StatusCodes.Status413PayloadTooLarge, "request body too large", $"at most {options.MaxRequestBodyBytes} bytes are accepted");
        if (context.Request.QueryString.Value?.Length > _maxQueryString)
            return Refuse(context, StatusCodes.Status414UriTooLong, "query string too long", $"at most {_maxQueryString} characters are accepted");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = options.MaxRequestBodyBytes;
        else
            context.Request.Body = new BoundedBodyStream(context.Request.Body, options.MaxRequestBodyBytes); // hosts without the feature (in-memory)
        return next(context);
    }

    private static Task Refuse(HttpContext context, int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}
