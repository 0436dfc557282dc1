using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TicketTriage.Web.Features.Ingest;

internal static class OpenApiRequestBodyExtensions
{
    /// <summary>
    /// Documents a JSON request body the handler reads itself. <c>.Accepts&lt;T&gt;()</c> would document it too, but
    /// it also makes routing answer a wrong content type with a bare 415 before the handler can explain it.
    /// </summary>
    public static RouteHandlerBuilder WithJsonRequestBody<T>(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken) },
                },
            };
        });
}
