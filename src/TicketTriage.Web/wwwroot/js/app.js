// TicketTriage browser glue: one SignalR connection per page. The server pushes HTML it rendered itself; this
// file only inserts it and lets htmx wire any hx-* attributes in it. Tests wait on #hub-state[data-hub-state].
(() => {
  "use strict";

  const stateEl = document.getElementById("hub-state");
  const labels = { offline: "offline", connecting: "connecting…", connected: "live", reconnecting: "reconnecting…" };

  function setState(state) {
    if (!stateEl) return;
    stateEl.dataset.hubState = state;
    stateEl.querySelector(".hub-state-text").textContent = labels[state] ?? state;
    document.body.dataset.hubState = state;
  }

  // Relative ages ("4 min ago") drift while the page is open; the exact UTC time stays in the title.
  function age(iso) {
    const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (seconds < 60) return "just now";
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
    if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
    return `${Math.floor(seconds / 86400)} d ago`;
  }
  function refreshAges(root = document) {
    for (const el of root.querySelectorAll("time[data-age]")) el.textContent = age(el.getAttribute("datetime"));
  }
  setInterval(refreshAges, 30000);

  // Rows are ordered by their keyset cursor "createdTicks,id" (BigInt: ticks exceed 2^53).
  function cursorKey(row) {
    const [ticks, id] = (row.dataset.cursor || "0,0").split(",");
    return [BigInt(ticks), BigInt(id)];
  }
  function newer(a, b) { return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]); }

  // mode "new": rows are placed by their time, so an import of old tickets does not land on top; a row older than
  // the last one of a full page belongs to a later page. mode "changed": only rows already shown are redrawn.
  function applyRows(html, mode, count) {
    const body = document.querySelector("[data-live-rows]");
    if (!body) return;
    const template = document.createElement("template");
    template.innerHTML = html;
    let shown = 0;
    for (const row of [...template.content.children]) {
      const existing = row.id ? document.getElementById(row.id) : null;
      if (existing) {
        existing.replaceWith(row);
      } else if (mode === "new") {
        const key = cursorKey(row);
        const before = [...body.querySelectorAll("tr[data-cursor]")].find((r) => newer(key, cursorKey(r)));
        if (before) body.insertBefore(row, before);
        else if (body.dataset.full !== "true") body.append(row);
        else continue;
      } else {
        continue;
      }
      shown++;
      row.classList.add("row-new");
      if (window.htmx) htmx.process(row);
      refreshAges(row);
    }
    if (shown > 0) body.querySelector("[data-empty]")?.remove();
    trim(body);
    const counter = document.querySelector("[data-live-count]");
    if (counter && mode === "new") counter.textContent = String(Number(counter.textContent || 0) + (count || shown));
  }

  // Keep the page bounded during a surge; the "Older" link then starts after the last row still shown.
  function trim(body) {
    const limit = Number(body.dataset.maxRows || 0);
    const rows = body.querySelectorAll("tr[data-cursor]");
    if (limit <= 0 || rows.length <= limit) return;
    for (const row of [...rows].slice(limit)) row.remove();
    body.dataset.full = "true";
    const older = document.querySelector("[data-older]");
    const last = body.querySelector("tr[data-cursor]:last-child");
    if (older && last) {
      older.href = older.dataset.olderBase + encodeURIComponent(last.dataset.cursor);
      older.hidden = false;
    }
  }

  // A sent reply clears its form (no inline hx-on handlers: the Content-Security-Policy allows no eval).
  document.body.addEventListener("htmx:afterRequest", (e) => {
    if (e.detail.successful && e.detail.elt.matches?.("form[data-reset-on-success]")) e.detail.elt.reset();
  });

  document.body.addEventListener("htmx:responseError", (e) => {
    const status = e.detail.xhr.status;
    showToast(status === 400 ? "The form was rejected: reload the page and try again." :
      status === 401 ? "Your session ended: sign in again." :
      status === 403 ? "You are not allowed to do that." : `The server answered ${status}.`);
  });
  document.body.addEventListener("htmx:sendError", () => showToast("The server could not be reached."));

  function showToast(text) {
    const toast = document.createElement("div");
    toast.className = "toast";
    toast.setAttribute("role", "alert");
    toast.textContent = text;
    document.body.append(toast);
    setTimeout(() => toast.remove(), 6000);
  }

  if (!stateEl || !window.signalR) return;

  const groups = [...document.querySelectorAll("[data-live-group]")].map((el) => el.dataset.liveGroup);
  const connection = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/live")
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(1000 * 2 ** ctx.previousRetryCount, 15000) })
    .build();

  connection.on("queueRows", applyRows);
  connection.onreconnecting(() => setState("reconnecting"));
  connection.onreconnected(async () => {
    await joinGroups();
    setState("connected");
    // Pushes sent while we were away are gone: say so rather than show a queue that looks complete.
    document.querySelector("[data-missed-notice]")?.removeAttribute("hidden");
  });
  connection.onclose(() => { setState("offline"); setTimeout(start, 5000); });

  async function joinGroups() {
    for (const group of groups) await connection.invoke("Join", group);
  }

  async function start() {
    setState("connecting");
    try {
      await connection.start();
      await joinGroups();
      setState("connected");
    } catch {
      setState("offline");
      setTimeout(start, 5000);
    }
  }

  start();
})();
