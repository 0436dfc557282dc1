using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TicketTriage.Web.Features.Triage;

namespace TicketTriage.Web.Features.Patterns;

public enum PatternActionKind
{
    Confirm,
    Rename,
    Dismiss,
    Resolve,
    Merge,
    Split,
    Move,
}

/// <summary>
/// What a lead does to a pattern. <see cref="IntoId"/>: the target of a merge or a move; <see cref="TicketIds"/>: the
/// tickets a split or a move takes out of the pattern; <see cref="Title"/>: a rename (empty: back to the engine's title).
/// </summary>
public sealed record PatternAction(
    PatternActionKind Kind,
    long PatternId,
    string Actor,
    string? Title = null,
    long? IntoId = null,
    IReadOnlyList<long>? TicketIds = null);

/// <summary>The outcome; <see cref="PatternId"/> is where the lead should look next (the survivor, the split-out pattern).</summary>
public sealed record PatternActionResult(bool Ok, string Message, long? PatternId = null)
{
    public static PatternActionResult Fail(string message) => new(false, message);
}

/// <summary>
/// Lead actions on patterns, from the pattern page and the ticket page. Each is one audited transaction and is fed
/// back to the triage engine. The engine belongs to the triage worker (it is not thread-safe), so with triage on an
/// action is queued for the worker, which applies it between batches and saves the engine's state at once; the caller
/// waits for the outcome. With triage off there is no engine: the action changes the database only.
/// </summary>
public sealed class PatternActions(PatternActionQueue queue, PatternActionWriter writer, IOptions<TriageOptions> options)
{
    private readonly SemaphoreSlim _withoutEngine = new(1, 1);

    public async Task<PatternActionResult> RunAsync(PatternAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (Validate(action) is { } error)
        {
            return PatternActionResult.Fail(error);
        }

        if (options.Value.Enabled)
        {
            return await queue.SubmitAsync(action, cancellationToken);
        }

        await _withoutEngine.WaitAsync(cancellationToken);
        try
        {
            return await writer.ApplyAsync(action, engine: null, changes: null, stamp: null, cancellationToken);
        }
        finally
        {
            _withoutEngine.Release();
        }
    }

    private static string? Validate(PatternAction action) => action.Kind switch
    {
        PatternActionKind.Rename when (action.Title?.Trim().Length ?? 0) > Data.Configurations.Limits.Subject =>
            $"A name has at most {Data.Configurations.Limits.Subject} characters.",
        PatternActionKind.Merge when action.IntoId is null => "Choose the pattern to merge into.",
        PatternActionKind.Merge or PatternActionKind.Move when action.IntoId == action.PatternId => "Choose another pattern.",
        PatternActionKind.Move when action.IntoId is null => "Choose the pattern to move the tickets to.",
        PatternActionKind.Split or PatternActionKind.Move when action.TicketIds is not { Count: > 0 } => "Select at least one ticket.",
        PatternActionKind.Split or PatternActionKind.Move when action.TicketIds!.Count > MaxTickets => $"At most {MaxTickets} tickets at once.",
        _ => null,
    };

    public const int MaxTickets = 1000;
}

/// <summary>Lead actions waiting for the triage worker, each with the task its caller awaits.</summary>
public sealed class PatternActionQueue(TriageSignals signals)
{
    private readonly ConcurrentQueue<Pending> _pending = new();

    internal sealed record Pending(PatternAction Action, TaskCompletionSource<PatternActionResult> Done);

    public async Task<PatternActionResult> SubmitAsync(PatternAction action, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<PatternActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue(new Pending(action, done));
        signals.LeadActionQueued();
        return await done.Task.WaitAsync(cancellationToken);
    }

    internal bool IsEmpty => _pending.IsEmpty;

    internal bool TryTake(out Pending pending) => _pending.TryDequeue(out pending!);
}
