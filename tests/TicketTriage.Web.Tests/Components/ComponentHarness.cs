using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TicketTriage.Web.Components;

namespace TicketTriage.Web.Tests.Components;

/// <summary>Renders components with the app's own <see cref="FragmentRenderer"/>, outside any request, and parses them.</summary>
internal sealed class ComponentHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider services;
    private readonly FragmentRenderer renderer;

    public ComponentHarness()
    {
        services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(new FixedTime(Now))
            .BuildServiceProvider();
        renderer = new FragmentRenderer(services, NullLoggerFactory.Instance);
    }

    public Task<string> HtmlAsync<TComponent>(object parameters) where TComponent : IComponent =>
        renderer.RenderAsync<TComponent>(parameters.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(parameters)));

    /// <summary>Parsed inside a table body when the fragment is rows, as the browser would parse it.</summary>
    public async Task<IElement> RenderAsync<TComponent>(object parameters, bool rows = false) where TComponent : IComponent
    {
        var html = await HtmlAsync<TComponent>(parameters);
        var document = new HtmlParser().ParseDocument(rows ? $"<table><tbody>{html}</tbody></table>" : $"<div id=\"root\">{html}</div>");
        return rows ? document.QuerySelector("tbody")! : document.QuerySelector("#root")!;
    }

    public async ValueTask DisposeAsync()
    {
        await renderer.DisposeAsync();
        await services.DisposeAsync();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
