using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TicketTriage.ML.Engine;
using TicketTriage.Web.Data;
using TicketTriage.Web.Data.Configurations;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Live;
using TicketTriage.Web.Features.SignIn;

namespace TicketTriage.Web.Features.Triage;

public sealed record RecategorizeForm(string? Category);

/// <summary>
/// An agent corrects a ticket's category: the ticket takes it (confidence 1, no review needed) and its text becomes a
/// labeled example for the next training, kept in the database. Pages call <see cref="RecategorizeAsync"/>; a plain
/// form post to <c>/tickets/{id}/category</c> does the same and goes back to the ticket.
/// </summary>
public sealed class TicketRecategorization(IDbContextFactory<TriageDbContext> dbFactory, ClassifierSource classifiers, LiveEvents live, TimeProvider time)
{
    /// <summary>The categories an agent may choose: the loaded model's, or none known (then any label is taken).</summary>
    public IReadOnlyList<string> Categories => classifiers.Current?.Classes ?? [];

    /// <returns>Null on success, else what was wrong with the category; throws nothing for an unknown ticket (false).</returns>
    public async Task<RecategorizeResult> RecategorizeAsync(long ticketId, string? category, string labeledBy, CancellationToken cancellationToken)
    {
        var label = category?.Trim() ?? "";
        if (label.Length == 0 || label.Length > Limits.Label)
        {
            return RecategorizeResult.Invalid($"Choose a category (1–{Limits.Label} characters).");
        }

        if (Categories.Count > 0 && !Categories.Contains(label, StringComparer.Ordinal))
        {
            return RecategorizeResult.Invalid($"'{label}' is not one of the model's categories.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return RecategorizeResult.NotFound;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var previous = ticket.Category;
        ticket.Category = label;
        ticket.CategoryConfidence = 1;
        ticket.NeedsReview = false;
        ticket.UpdatedAt = now;
        db.LabeledExamples.Add(new LabeledExample
        {
            TicketId = ticket.Id,
            Text = TriageText.Compose(ticket.Subject, ticket.Body),
            Label = label,
            PreviousLabel = previous,
            LabeledBy = labeledBy,
            LabeledAt = now,
        });
        db.AuditEntries.Add(new AuditEntry
        {
            At = now,
            Actor = labeledBy,
            Action = "ticket.recategorized",
            Target = "ticket:" + ticket.Id.ToString(CultureInfo.InvariantCulture),
            DetailsJson = JsonSerializer.Serialize(new Dictionary<string, string?> { ["from"] = previous, ["to"] = label }),
        });
        await db.SaveChangesAsync(cancellationToken);
        live.Publish(new TicketsChanged([ticket.Id]));
        return RecategorizeResult.Done;
    }
}

public sealed record RecategorizeResult(bool Found, string? Error)
{
    public static readonly RecategorizeResult Done = new(true, null);
    public static readonly RecategorizeResult NotFound = new(false, null);

    public static RecategorizeResult Invalid(string error) => new(true, error);
}

internal static class RecategorizeEndpoint
{
    /// <summary><c>POST /tickets/{id}/category</c> (form field <c>category</c>), in the UI group that checks antiforgery.</summary>
    public static RouteGroupBuilder MapRecategorize(this RouteGroupBuilder ui)
    {
        ui.MapPost("/tickets/{id:long}/category", HandleAsync).RequireAuthorization(RolePolicies.Agent);
        return ui;
    }

    private static async Task<IResult> HandleAsync(long id, [FromForm] RecategorizeForm form, HttpContext http, TicketRecategorization recategorization, CancellationToken cancellationToken)
    {
        var user = http.User.FindFirstValue(ClaimTypes.Email) ?? http.User.Identity?.Name ?? "unknown";
        var result = await recategorization.RecategorizeAsync(id, form.Category, user, cancellationToken);
        if (!result.Found)
        {
            return TypedResults.NotFound();
        }

        return result.Error is { } error
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["category"] = [error] })
            : TypedResults.Redirect($"/tickets/{id.ToString(CultureInfo.InvariantCulture)}", permanent: false, preserveMethod: false);
    }
}
