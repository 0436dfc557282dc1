using Microsoft.AspNetCore.Diagnostics;

namespace TicketTriage.Web.Hosting;

/// <summary>
/// Outside Development an unhandled exception answers 500 with the error page (<c>/error</c>) to browsers and problem
/// details to API clients, and is logged once.
/// </summary>
/// <remarks>
/// One exception handler at the top level of the pipeline. Inside a <c>UseWhen</c> branch its re-execution of
/// <c>/error</c> did not reach the page's endpoint: the handler answered 404, which it turns into a bare 500 with an
/// empty body. API requests are answered by <see cref="ApiExceptionHandler"/> before any re-execution.
/// </remarks>
public static class ErrorHandling
{
    public static WebApplicationBuilder AddErrorHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        return builder;
    }

    public static WebApplication UseErrorPages(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/error", CreateScopeForErrors = true });
        }

        return app;
    }

    /// <summary>API requests: problem details (no page, no re-execution).</summary>
    private sealed class ApiExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            // The middleware has set the path to /error already; the feature keeps the one that failed.
            var path = context.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path.Value;
            if (!new PathString(path).StartsWithSegments("/api"))
            {
                return false;
            }

            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = { Status = StatusCodes.Status500InternalServerError, Title = "An error occurred while processing your request." },
            });
        }
    }
}
