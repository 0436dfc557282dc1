// TicketTriage browser glue, delegated on the document so it survives Blazor's re-renders and navigations.
// - Keyboard shortcuts: a key press outside a text field activates the element with data-shortcut="<key>"
//   (a text field is focused, anything else clicked). Ctrl/Cmd+Enter in an element with data-ctrl-enter="<id>"
//   clicks the element with that id (send a reply).
// - Copy buttons: data-copy="<selector>" copies that element's text (a created API key).
(() => {
  "use strict";

  function isTyping(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      const host = event.target instanceof Element ? event.target.closest("[data-ctrl-enter]") : null;
      const button = host ? document.getElementById(host.getAttribute("data-ctrl-enter")) : null;
      if (button) {
        event.preventDefault();
        // Let Blazor see the field's latest value (change event) before the click.
        event.target.dispatchEvent(new Event("change", { bubbles: true }));
        setTimeout(() => button.click(), 0);
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const target = document.querySelector(`[data-shortcut="${CSS.escape(event.key)}"]`);
    if (!target) return;
    event.preventDefault();
    const field = target.matches("input, textarea") ? target : target.querySelector("input, textarea");
    if (field) field.focus();
    else target.click();
  });

  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!button) return;
    const source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    const text = source.textContent.trim();
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (plain http, older browser): select the text so Ctrl+C copies it.
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    button.textContent = "Copied";
    button.setAttribute("data-copied", "true");
  });
})();
