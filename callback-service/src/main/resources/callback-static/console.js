// Operator console: reads GET /v1/messages and GET /v1/messages/{id} with the pasted API key.
// Everything is rendered with textContent: nothing from the API is interpreted as HTML.
(function () {
  "use strict";
  const KEY = "mediaPlatform.callback.apiKey";
  const $ = (id) => document.getElementById(id);
  let nextCursor = null;

  function apiKey() { return sessionStorage.getItem(KEY) || ""; }

  function showError(text) { $("error").textContent = text || ""; }

  async function call(path) {
    if (!apiKey()) { throw new Error("Paste an API key first."); }
    const response = await fetch(path, { headers: { "Authorization": "Bearer " + apiKey(), "Accept": "application/json" } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) { throw new Error(response.status + " " + (body.title || "") + (body.detail ? ": " + body.detail : "")); }
    return body;
  }

  function cell(row, value, className) {
    const td = document.createElement("td");
    td.textContent = value === undefined || value === null ? "" : String(value);
    if (className) { td.className = className; }
    row.appendChild(td);
  }

  function query(cursor) {
    const params = new URLSearchParams({ limit: "50" });
    for (const name of ["externalId", "clientId", "conversationId", "direction"]) {
      const value = $("f-" + name).value.trim();
      if (value) { params.set(name, value); }
    }
    if (cursor) { params.set("cursor", cursor); }
    return "/v1/messages?" + params.toString();
  }

  async function loadMessages(append) {
    showError("");
    try {
      const page = await call(query(append ? nextCursor : null));
      const body = $("messages").querySelector("tbody");
      if (!append) { body.replaceChildren(); }
      for (const m of page.items) {
        const row = document.createElement("tr");
        row.className = "selectable";
        cell(row, m.createdAt);
        cell(row, m.messageId);
        cell(row, m.direction);
        cell(row, m.status, "status-" + m.status);
        cell(row, m.channel);
        cell(row, m.from);
        cell(row, m.to);
        cell(row, m.externalId);
        cell(row, m.clientId);
        cell(row, m.reason);
        row.addEventListener("click", () => loadDetail(m.messageId));
        body.appendChild(row);
      }
      nextCursor = page.nextCursor || null;
      $("more").hidden = !nextCursor;
    } catch (e) { showError(e.message); }
  }

  async function loadDetail(id) {
    showError("");
    try {
      const m = await call("/v1/messages/" + encodeURIComponent(id));
      $("d-id").textContent = m.messageId;
      $("d-status").textContent = m.status + (m.reason ? " (" + m.reason + ")" : "");
      const history = $("history").querySelector("tbody");
      history.replaceChildren();
      for (const h of m.history || []) {
        const row = document.createElement("tr");
        cell(row, h.at); cell(row, h.status, "status-" + h.status); cell(row, h.providerMessageId); cell(row, h.reason); cell(row, h.detail);
        history.appendChild(row);
      }
      const attempts = $("attempts").querySelector("tbody");
      attempts.replaceChildren();
      for (const a of m.webhookAttempts || []) {
        const row = document.createElement("tr");
        cell(row, a.at); cell(row, a.url); cell(row, a.eventType === "message.received" ? "received " + a.eventStatus : a.eventStatus); cell(row, a.attempt); cell(row, a.statusCode);
        cell(row, a.latencyMs); cell(row, a.error); cell(row, a.deliveryStatus);
        attempts.appendChild(row);
      }
      $("detail").hidden = false;
    } catch (e) { showError(e.message); }
  }

  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("api-key").value.trim();
    if (value) { sessionStorage.setItem(KEY, value); }
    $("api-key").value = "";
    loadMessages(false);
  });
  $("forget-key").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    $("messages").querySelector("tbody").replaceChildren();
    $("detail").hidden = true;
  });
  $("filter-form").addEventListener("submit", (event) => { event.preventDefault(); loadMessages(false); });
  $("refresh").addEventListener("click", () => {
    for (const name of ["externalId", "clientId", "conversationId", "direction"]) { $("f-" + name).value = ""; }
    loadMessages(false);
  });
  $("more").addEventListener("click", () => loadMessages(true));
  if (apiKey()) { loadMessages(false); }
}());
