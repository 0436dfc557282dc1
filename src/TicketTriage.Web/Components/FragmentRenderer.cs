using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace TicketTriage.Web.Components;

/// <summary>
/// The one place that renders a component to an HTML string outside a page request (for SignalR pushes).
/// Scoped: the renderer resolves the component's services from the scope it was created in.
/// Components rendered here must not contain a form without an explicit <c>action</c> nor an
/// <c>&lt;AntiforgeryToken /&gt;</c> (stack.md traps 1 and 2): pushed HTML is shared by every receiver.
/// </summary>
internal sealed class FragmentRenderer(IServiceProvider services, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly HtmlRenderer renderer = new(services, loggerFactory);

    public Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });

    public ValueTask DisposeAsync() => renderer.DisposeAsync();
}
