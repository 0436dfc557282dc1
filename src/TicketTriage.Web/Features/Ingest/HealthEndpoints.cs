using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;

namespace TicketTriage.Web.Features.Ingest;

/// <summary>
/// <c>/healthz</c>: the process answers (liveness). <c>/readyz</c>: the database answers a query and the ticket writer
/// runs (readiness: send traffic here). Both anonymous, both cheap.
/// </summary>
internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new Health("live", null))).WithName("Live").AllowAnonymous();

        app.MapGet("/readyz", async Task<IResult> (TriageDbContext db, TicketWriter writer, CancellationToken cancellationToken) =>
        {
            string? problem = null;
            try
            {
                if (!await db.Database.CanConnectAsync(cancellationToken))
                {
                    problem = "database unreachable";
                }
            }
            catch (Exception e)
            {
                problem = "database unreachable: " + e.Message;
            }

            if (problem is null && !writer.IsRunning)
            {
                problem = "ticket writer not running";
            }

            return problem is null
                ? TypedResults.Ok(new Health("ready", null))
                : TypedResults.Json(new Health("not ready", problem), statusCode: StatusCodes.Status503ServiceUnavailable);
        }).WithName("Ready").AllowAnonymous();
    }

    private sealed record Health(string Status, string? Problem);
}
