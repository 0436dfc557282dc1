using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TicketTriage.Web.Data;
using TicketTriage.Web.Data.Configurations;
using TicketTriage.Web.Domain;
using TicketTriage.Web.Features.Queue;
using TicketTriage.Web.Features.SignIn;

namespace TicketTriage.Web.Features.Tickets;

public sealed record ReplyForm(string? Body, string? Visibility);

public sealed record StatusForm(string? Status);

/// <summary>
/// Reply and status change. Each answers htmx (<c>HX-Request</c>) with the conversation fragment and a plain form
/// post with a 303 back to the ticket, so the page also works without JavaScript.
/// </summary>
internal static class TicketActions
{
    public static RouteGroupBuilder MapTicketActions(this RouteGroupBuilder ui)
    {
        var tickets = ui.MapGroup("/tickets/{id:long}").RequireAuthorization(RolePolicies.Agent);
        tickets.MapPost("/replies", ReplyAsync);
        tickets.MapPost("/status", ChangeStatusAsync);
        return ui;
    }

    internal static async Task<Results<RazorComponentResult<Conversation>, RedirectHttpResult, NotFound, ValidationProblem>> ReplyAsync(
        long id, [FromForm] ReplyForm form, HttpContext http, TriageDbContext db, TicketView view, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = form.Body?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (body.Length == 0)
        {
            errors["body"] = ["Write something before sending."];
        }
        else if (body.Length > Limits.Body)
        {
            errors["body"] = [$"A message holds at most {Limits.Body} characters."];
        }

        if (form.Visibility is not ("public" or "internal"))
        {
            errors["visibility"] = ["Choose public or internal."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var ticket = await db.Tickets.Include(t => t.Customer).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var message = new TicketMessage
        {
            TicketId = id,
            AuthorKind = MessageAuthorKind.Agent,
            AuthorUserId = UserId(http.User),
            IsInternal = form.Visibility == "internal",
            Body = body,
            CreatedAt = now,
        };
        db.TicketMessages.Add(message);
        ticket.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);

        return IsHtmx(http)
            ? new RazorComponentResult<Conversation>(new { Entries = await view.ReadConversationAsync(ticket, cancellationToken) })
            : TypedResults.Redirect($"/tickets/{id}#message-{message.Id}");
    }

    internal static async Task<Results<RazorComponentResult<Conversation>, RedirectHttpResult, NotFound, ValidationProblem>> ChangeStatusAsync(
        long id, [FromForm] StatusForm form, HttpContext http, TriageDbContext db, TicketView view, ITicketEvents events,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<TicketStatus>(form.Status, ignoreCase: false, out var status) || !Enum.IsDefined(status)
            || form.Status!.Any(char.IsDigit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = [$"Status must be one of {string.Join(", ", Enum.GetNames<TicketStatus>())}."],
            });
        }

        var ticket = await db.Tickets.Include(t => t.Customer).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return TypedResults.NotFound();
        }

        if (ticket.Status != status)
        {
            var now = time.GetUtcNow().UtcDateTime;
            // The change is part of the conversation, so the next agent sees who moved the ticket and when.
            db.TicketMessages.Add(new TicketMessage
            {
                TicketId = id,
                AuthorKind = MessageAuthorKind.System,
                AuthorUserId = UserId(http.User),
                IsInternal = true,
                Body = $"Status changed from {ticket.Status} to {status} by {http.User.Identity?.Name}.",
                CreatedAt = now,
            });
            ticket.Status = status;
            ticket.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            events.TicketsChanged([id]);
        }

        return IsHtmx(http)
            ? new RazorComponentResult<Conversation>(new { Entries = await view.ReadConversationAsync(ticket, cancellationToken), Status = (TicketStatus?)status })
            : TypedResults.Redirect($"/tickets/{id}");
    }

    private static bool IsHtmx(HttpContext http) => http.Request.Headers.ContainsKey("HX-Request");

    private static int? UserId(ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id) ? id : null;
}
