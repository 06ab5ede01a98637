// Operator console (ARCHITECTURE §17). Calls callback's API same-origin (/v1/messages, /v1/webhooks, /v1/audit) and
// ingest's cross-origin (its URL from /console/config.json: /v1/assets, POST /v1/messages, /v1/media/{id}/thumbnail,
// /v1/inboxes/{id}/media-settings) with the API key the operator typed in, kept in sessionStorage.
// Everything from the API is rendered with textContent: nothing it answers is interpreted as HTML.
(function () {
  "use strict";
  const KEY = "mediaPlatform.callback.apiKey";
  const FINAL = ["READ", "FAILED", "REJECTED"];
  const $ = (id) => document.getElementById(id);
  let ingestUrl = "";
  let nextCursor = null;
  let assetsCursor = null;
  let auditCursor = null;
  let shown = null;        // id of the message in the detail
  let sentAt = 0;          // when the shown message was sent from this page (callback records it a moment later)
  let follow = null;       // timer refreshing the detail until the message is final
  let picked = null;       // the asset picked to send
  let loadedSettings = null;
  const blobs = [];        // object URLs of thumbnails, revoked when the view is drawn again

  // The reason codes of rejections and failures, in words.
  const REASONS = {
    UNSUPPORTED_TYPE: "the channel does not take this type of file",
    TYPE_MISMATCH: "the file's content is not the type it claims to be",
    TOO_LARGE: "the file is larger than the channel allows",
    EMPTY: "the file is empty",
    CODEC_UNSUPPORTED: "the channel cannot play this audio or video encoding",
    MALWARE: "antivirus found malware; the file is quarantined",
    MEDIA_DISABLED: "media is switched off for this inbox",
    FETCH_FAILED: "the file could not be fetched",
    UNKNOWN_MEDIA: "no such media",
    PROVIDER_ERROR: "the provider refused the message",
    RATE_LIMITED: "the provider throttled the sender",
    NETWORK_ERROR: "the provider could not be reached",
    CIRCUIT_OPEN: "the provider is failing; sends are paused",
    CHANNEL_NOT_CONFIGURED: "the channel is not configured",
    INVALID_MESSAGE: "the message is not valid for the channel",
    INVALID_PROVIDER_RESPONSE: "the provider answered something unreadable",
    NO_SENDER: "no sender address for the channel",
    NO_ROUTE: "no inbox owns the address",
    SMTP_AUTH: "the mail server refused the credentials",
    SMTP_ERROR: "the mail server refused the message"
  };

  function reasonInWords(code, detail) {
    if (!code) { return ""; }
    const words = REASONS[code] || code.toLowerCase().replace(/_/g, " ");
    return code + ": " + words + (detail ? " (" + detail + ")" : "");
  }

  function apiKey() { return sessionStorage.getItem(KEY) || ""; }

  function show(id, text) { $(id).textContent = text || ""; }

  /** Calls the API; a problem answer becomes an Error with its status, title and detail. */
  async function call(base, path, options) {
    if (!apiKey()) { throw new Error("Log in with an API key first."); }
    const opts = options || {};
    const headers = Object.assign({ "Authorization": "Bearer " + apiKey() }, opts.headers || {});
    if (!headers.Accept) { headers.Accept = "application/json"; }
    let response;
    try {
      response = await fetch(base + path, { method: opts.method || "GET", headers: headers, body: opts.body });
    } catch (e) {
      throw new Error("The API at " + (base || location.origin) + " cannot be reached: " + e.message);
    }
    if (opts.raw && response.ok) { return response; }
    const text = await response.text();
    let body = {};
    try { body = text ? JSON.parse(text) : {}; } catch (e) { body = { detail: text }; }
    if (!response.ok) {
      throw new Error(response.status + " " + (body.title || response.statusText || "") + (body.detail ? ": " + body.detail : ""));
    }
    return body;
  }

  const callback = (path, options) => call("", path, options);
  const ingest = (path, options) => call(ingestUrl, path, options);

  /** Runs an action of a view, showing its error (or clearing it) in that view's error line. */
  async function guarded(errorId, action) {
    show(errorId, "");
    try { await action(); } catch (e) { show(errorId, e.message); }
  }

  function cell(row, value, className) {
    const td = document.createElement("td");
    td.textContent = value === undefined || value === null ? "" : String(value);
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  /** A table row for the browser test and the operator: data-test and data-* attributes. */
  function tableRow(test, attributes) {
    const row = document.createElement("tr");
    row.setAttribute("data-test", test);
    for (const [name, value] of Object.entries(attributes || {})) { row.setAttribute("data-" + name, value || ""); }
    return row;
  }

  /** The query of a search: each field's input (by id) when filled in, a limit and the page's cursor. */
  function searchParams(fields, limit, cursor) {
    const params = new URLSearchParams({ limit: limit });
    for (const [name, id] of Object.entries(fields)) {
      const value = $(id).value.trim();
      if (value) { params.set(name, value); }
    }
    if (cursor) { params.set("cursor", cursor); }
    return params;
  }

  /** Draws a page of a search into a table (appended for "More"); answers the next page's cursor. */
  function fillTable(tableId, moreId, page, append, rowOf) {
    const body = $(tableId).querySelector("tbody");
    if (!append) { body.replaceChildren(); }
    for (const item of page.items) { body.appendChild(rowOf(item)); }
    $(moreId).hidden = !page.nextCursor;
    return page.nextCursor || null;
  }

  function button(text, test, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("data-test", test);
    b.addEventListener("click", onClick);
    return b;
  }

  function bytes(n) {
    if (n === undefined || n === null) { return ""; }
    return n < 1024 ? n + " B" : n < 1048576 ? (n / 1024).toFixed(1) + " KB" : (n / 1048576).toFixed(1) + " MB";
  }

  // ---- thumbnails: fetched with the key, shown as blob: URLs (img-src 'self' blob:) ----

  function releaseThumbnails() {
    while (blobs.length) { URL.revokeObjectURL(blobs.pop()); }
  }

  function thumbnail(mediaId) {
    const box = document.createElement("span");
    box.className = "thumb";
    box.setAttribute("data-test", "thumbnail");
    box.setAttribute("data-media-id", mediaId || "");
    if (!mediaId) { return box; }
    box.textContent = "…";
    ingest("/v1/media/" + encodeURIComponent(mediaId) + "/thumbnail", { raw: true, headers: { Accept: "image/*" } })
      .then((response) => response.blob())
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        blobs.push(url);
        const img = document.createElement("img");
        img.alt = "thumbnail of " + mediaId;
        img.src = url;
        box.replaceChildren(img);
        box.setAttribute("data-state", "shown");
      })
      .catch((e) => {
        box.textContent = e.message.startsWith("404") ? "no preview (yet)" : "no preview: " + e.message;
        box.setAttribute("data-state", "none");
      });
    return box;
  }

  // ---- messages ----

  const MESSAGE_FIELDS = { externalId: "f-externalId", clientId: "f-clientId", conversationId: "f-conversationId",
    direction: "f-direction" };

  function loadMessages(append) {
    return guarded("messages-error", async () => {
      const page = await callback("/v1/messages?" + searchParams(MESSAGE_FIELDS, "50", append ? nextCursor : null));
      nextCursor = fillTable("messages", "more", page, append, (m) => {
        const row = tableRow("message-row", { "message-id": m.messageId, status: m.status });
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
        row.addEventListener("click", () => openMessage(m.messageId));
        return row;
      });
    });
  }

  function openMessage(id, justSent) {
    shown = id;
    sentAt = justSent ? Date.now() : 0;
    $("replay-result").textContent = "";
    showView("messages");
    return loadDetail();
  }

  function isFinal(m) {
    return FINAL.includes(m.status) || (m.direction === "INBOUND" && m.status === "ACCEPTED");
  }

  function loadDetail() {
    if (follow) { clearTimeout(follow); follow = null; }
    const id = shown;
    return guarded("messages-error", async () => {
      let m;
      try {
        m = await callback("/v1/messages/" + encodeURIComponent(id));
      } catch (e) {
        if (e.message.startsWith("404") && Date.now() - sentAt < 30000) {
          // just sent: the status API has it once callback took the first event
          $("detail").hidden = false;
          $("d-id").textContent = id;
          $("d-status").textContent = "waiting for the first status…";
          follow = setTimeout(loadDetail, 500);
          return;
        }
        throw e;
      }
      if (id !== shown) { return; }
      $("d-id").textContent = m.messageId;
      $("d-status").textContent = m.status;
      $("d-status").className = "status-" + m.status;
      $("d-facts").textContent = [m.direction, m.channel, m.from && "from " + m.from, m.to && "to " + m.to,
        m.conversationId && "conversation " + m.conversationId, m.inboxId && "inbox " + m.inboxId,
        m.providerMessageId && "provider id " + m.providerMessageId, m.mediaId && "media " + m.mediaId, m.mediaType, bytes(m.mediaSize), m.caption && "“" + m.caption + "”"]
        .filter(Boolean).join(" · ");
      $("d-reason").hidden = !m.reason;
      $("d-reason").textContent = m.reason ? "Why: " + reasonInWords(m.reason, m.reasonMessage) : "";
      $("d-customer").hidden = !m.customerMessage;
      $("d-customer").textContent = m.customerMessage ? "The customer was answered: “" + m.customerMessage + "”" : "";
      drawTimeline(m);
      drawAttempts(m.webhookAttempts || []);
      $("detail").hidden = false;
      $("detail").setAttribute("data-status", m.status);
      if (!isFinal(m)) { follow = setTimeout(loadDetail, 1000); }
    });
  }

  function drawTimeline(m) {
    const list = $("timeline");
    list.replaceChildren();
    const steps = (m.history && m.history.length) ? m.history
      : [{ status: m.status, at: m.updatedAt || m.createdAt, reason: m.reason, detail: m.reasonMessage }];
    for (const h of steps) {
      const item = document.createElement("li");
      item.setAttribute("data-test", "timeline-step");
      item.setAttribute("data-status", h.status);
      item.className = "status-" + h.status;
      const title = document.createElement("strong");
      title.textContent = h.status;
      const when = document.createElement("span");
      when.className = "hint";
      when.textContent = " " + (h.at || "") + (h.providerMessageId ? " · " + h.providerMessageId : "");
      item.append(title, when);
      const words = h.reason ? reasonInWords(h.reason, h.detail) : h.detail;
      if (words) {
        const p = document.createElement("div");
        p.className = "reason";
        p.textContent = words;
        item.appendChild(p);
      }
      if (h.converted) {
        const p = document.createElement("div");
        p.className = "hint";
        p.textContent = "converted " + h.converted.from + " → " + h.converted.to + ", " + bytes(h.converted.sizeBefore)
          + " → " + bytes(h.converted.sizeAfter);
        item.appendChild(p);
      }
      list.appendChild(item);
    }
  }

  function drawAttempts(attempts) {
    const body = $("attempts").querySelector("tbody");
    body.replaceChildren();
    for (const a of attempts) {
      const row = tableRow("attempt-row");
      cell(row, a.at); cell(row, a.url);
      cell(row, a.eventType === "message.received" ? "received " + a.eventStatus : a.eventStatus);
      cell(row, a.attempt); cell(row, a.statusCode); cell(row, a.latencyMs); cell(row, a.error);
      cell(row, a.deliveryStatus, "delivery-" + a.deliveryStatus);
      body.appendChild(row);
    }
  }

  function replay(messageId, resultId, errorId) {
    return guarded(errorId, async () => {
      const r = await callback("/v1/messages/" + encodeURIComponent(messageId) + "/webhooks/replay", { method: "POST" });
      show(resultId, "Replayed " + r.events + " status(es) of " + r.messageId + " as " + r.count + " webhook deliveries.");
    });
  }

  // ---- media ----

  function loadMedia() {
    return guarded("media-error", async () => {
      const params = new URLSearchParams({ limit: "60" });
      const direction = $("m-direction").value;
      if (direction) { params.set("direction", direction); }
      const page = await callback("/v1/messages?" + params.toString());
      releaseThumbnails();
      const grid = $("media-grid");
      grid.replaceChildren();
      for (const m of page.items.filter((item) => item.mediaId)) {
        const card = document.createElement("figure");
        card.setAttribute("data-test", "media-card");
        card.setAttribute("data-media-id", m.mediaId);
        card.setAttribute("data-direction", m.direction);
        card.appendChild(thumbnail(m.mediaId));
        const caption = document.createElement("figcaption");
        caption.textContent = (m.direction === "INBOUND" ? "from " + m.from : "to " + m.to) + " · " + (m.channel || "")
          + " · " + m.status + (m.reason ? " (" + m.reason + ")" : "");
        caption.className = "status-" + m.status;
        card.appendChild(caption);
        card.addEventListener("click", () => openMessage(m.messageId));
        grid.appendChild(card);
      }
      if (!grid.children.length) { grid.textContent = "No media yet."; }
    });
  }

  // ---- asset library ----

  function loadAssets(append) {
    return guarded("assets-error", async () => {
      const params = searchParams({ q: "as-q", tag: "as-tag", kind: "as-kind" }, "50", append ? assetsCursor : null);
      const page = await ingest("/v1/assets?" + params);
      if (!append) { releaseThumbnails(); }
      assetsCursor = fillTable("assets", "assets-more", page, append, assetRow);
    });
  }

  function assetRow(a) {
    const row = tableRow("asset-row", { "asset-id": a.assetId, name: a.name });
    const preview = document.createElement("td");
    preview.appendChild(thumbnail(a.mediaId));
    row.appendChild(preview);
    cell(row, a.name, "asset-name");
    const tagsCell = document.createElement("td");
    const tags = document.createElement("input");
    tags.size = 16;
    tags.value = (a.tags || []).join(",");
    tags.setAttribute("data-test", "asset-row-tags");
    tagsCell.append(tags, button("Tag", "asset-retag", () => guarded("assets-error", async () => {
      const list = tags.value.split(",").map((t) => t.trim()).filter(Boolean);
      await ingest("/v1/assets/" + encodeURIComponent(a.assetId), {
        method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ tags: list })
      });
      await loadAssets(false);
    })));
    row.appendChild(tagsCell);
    cell(row, a.kind);
    cell(row, a.contentType);
    cell(row, bytes(a.size));
    const validation = a.validation || {};
    cell(row, validation.status ? validation.status + (validation.reason ? " " + reasonInWords(validation.reason, validation.reasonMessage) : "") : "");
    cell(row, a.approved ? "yes" : "no");
    const actions = document.createElement("td");
    actions.appendChild(button("Pick", "asset-pick", () => pick(a)));
    row.appendChild(actions);
    return row;
  }

  function pick(a) {
    picked = a;
    $("s-asset-name").textContent = a.name + " (" + a.kind + ", " + a.contentType + ")";
    $("send").hidden = false;
    show("send-error", "");
    show("send-result", "");
  }

  function uploadAsset() {
    return guarded("assets-error", async () => {
      const file = $("a-file").files[0];
      if (!file) { throw new Error("Choose a file to upload."); }
      const form = new FormData();
      if ($("a-name").value.trim()) { form.append("name", $("a-name").value.trim()); }
      if ($("a-tags").value.trim()) { form.append("tags", $("a-tags").value.trim()); }
      if ($("a-approved").checked) { form.append("approved", "true"); }
      form.append("file", file, file.name);
      const a = await ingest("/v1/assets", { method: "POST", body: form });
      show("asset-upload-result", (a.alreadyStored ? "Already in the library: " : "Added: ") + a.name + " (" + a.assetId + ")");
      $("a-file").value = "";
      await loadAssets(false);
    });
  }

  function send() {
    return guarded("send-error", async () => {
      if (!picked) { throw new Error("Pick an asset first."); }
      const message = {
        channel: $("s-channel").value,
        from: $("s-from").value.trim(),
        to: $("s-to").value.trim(),
        kind: (picked.kind || "document").toLowerCase(),
        media: { assetId: picked.assetId }
      };
      if ($("s-conversation").value.trim()) { message.conversationId = $("s-conversation").value.trim(); }
      if ($("s-caption").value.trim()) { message.caption = $("s-caption").value.trim(); }
      const headers = { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() };
      if ($("s-agent").value.trim()) { headers["Agent-Id"] = $("s-agent").value.trim(); }
      const answer = await ingest("/v1/messages", { method: "POST", headers: headers, body: JSON.stringify(message) });
      const result = $("send-result");
      result.replaceChildren();
      result.append("Sent as message " + answer.messageId + " ");
      result.appendChild(button("Follow it", "send-follow", () => openMessage(answer.messageId, true)));
      result.setAttribute("data-message-id", answer.messageId);
    });
  }

  // ---- inbox media settings ----

  function loadInbox() {
    return guarded("inbox-error", async () => {
      const id = $("i-id").value.trim();
      if (!id) { throw new Error("Give the inbox id."); }
      const s = await ingest("/v1/inboxes/" + encodeURIComponent(id) + "/media-settings");
      drawInbox(s);
      show("inbox-result", "Loaded " + s.inboxId + (s.updatedAt ? ", last changed " + s.updatedAt : ", never changed (all on)"));
    });
  }

  function drawInbox(s) {
    loadedSettings = s;
    $("i-send").checked = s.sendEnabled;
    $("i-receive").checked = s.receiveEnabled;
    $("i-message").value = s.rejectionMessage || "";
    $("i-profile").value = s.profile || "";
    $("inbox-form").hidden = false;
  }

  function saveInbox() {
    return guarded("inbox-error", async () => {
      if (!loadedSettings) { throw new Error("Load the inbox first."); }
      const body = {
        sendEnabled: $("i-send").checked,
        receiveEnabled: $("i-receive").checked,
        rejectionMessage: $("i-message").value.trim() || null,
        profile: $("i-profile").value.trim() || null
      };
      show("inbox-result", "");
      const s = await ingest("/v1/inboxes/" + encodeURIComponent(loadedSettings.inboxId) + "/media-settings", {
        method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
      });
      drawInbox(s);
      show("inbox-result", "Saved " + s.inboxId + " at " + s.updatedAt + ": send " + (s.sendEnabled ? "on" : "off")
        + ", receive " + (s.receiveEnabled ? "on" : "off") + (s.rejectionMessage ? ", message “" + s.rejectionMessage + "”" : ""));
    });
  }

  // ---- webhook endpoints ----

  function loadWebhooks() {
    return guarded("webhooks-error", async () => {
      const page = await callback("/v1/webhooks");
      const body = $("webhooks").querySelector("tbody");
      body.replaceChildren();
      for (const w of page.items) {
        const row = tableRow("webhook-row", { "webhook-id": w.id, url: w.url });
        cell(row, w.url);
        cell(row, w.events && w.events.length ? w.events.join(", ") : "all events");
        cell(row, w.description);
        cell(row, w.createdAt);
        cell(row, w.disabled ? "disabled (failing)" : w.previousSecretExpiresAt ? "old secret signs until " + w.previousSecretExpiresAt : "active");
        const actions = document.createElement("td");
        actions.append(button("Rotate secret", "webhook-rotate", () => rotate(w)),
          button("Attempts", "webhook-attempts", () => endpointAttempts(w)));
        row.appendChild(actions);
        body.appendChild(row);
      }
    });
  }

  function showSecret(text) {
    const p = $("webhook-secret");
    p.textContent = text;
    p.hidden = false;
  }

  function createWebhook() {
    return guarded("webhooks-error", async () => {
      const body = { url: $("w-url").value.trim() };
      const events = $("w-events").value.split(",").map((e) => e.trim()).filter(Boolean);
      if (events.length) { body.events = events; }
      if ($("w-description").value.trim()) { body.description = $("w-description").value.trim(); }
      const w = await callback("/v1/webhooks", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      showSecret("Created " + w.url + ". Its signing secret, shown this once: " + w.secret);
      await loadWebhooks();
    });
  }

  function rotate(w) {
    return guarded("webhooks-error", async () => {
      const r = await callback("/v1/webhooks/" + encodeURIComponent(w.id) + "/rotate-secret", { method: "POST" });
      showSecret("New secret of " + w.url + ", shown this once: " + r.secret + " (the previous one signs too until "
        + r.previousSecretExpiresAt + ")");
      await loadWebhooks();
    });
  }

  function endpointAttempts(w) {
    return guarded("webhooks-error", async () => {
      const page = await callback("/v1/webhooks/" + encodeURIComponent(w.id) + "/attempts?limit=100");
      $("ea-url").textContent = w.url;
      const body = $("ea-table").querySelector("tbody");
      body.replaceChildren();
      for (const a of page.items) {
        const row = tableRow("endpoint-attempt-row", { "message-id": a.messageId });
        cell(row, a.at); cell(row, a.messageId);
        cell(row, a.eventType === "message.received" ? "received " + a.eventStatus : a.eventStatus);
        cell(row, a.attempt); cell(row, a.statusCode); cell(row, a.latencyMs); cell(row, a.error);
        cell(row, a.deliveryStatus, "delivery-" + a.deliveryStatus);
        const actions = document.createElement("td");
        actions.appendChild(button("Replay", "endpoint-replay", () => replay(a.messageId, "webhook-secret", "webhooks-error")
          .then(() => { $("webhook-secret").hidden = false; })));
        row.appendChild(actions);
        body.appendChild(row);
      }
      if (!page.items.length) { cell(body.insertRow(), "No attempts yet."); }
      $("endpoint-attempts").hidden = false;
    });
  }

  // ---- audit ----

  const AUDIT_FIELDS = { mediaId: "au-media", assetId: "au-asset", recipient: "au-to", from: "au-from-time", to: "au-to-time" };

  function auditQuery(cursor, format) {
    const params = searchParams(AUDIT_FIELDS, "100", cursor);
    if (format) { params.set("format", format); }
    return "/v1/audit?" + params.toString();
  }

  function loadAudit(append) {
    return guarded("audit-error", async () => {
      const page = await callback(auditQuery(append ? auditCursor : null));
      auditCursor = fillTable("audit", "audit-more", page, append, (e) => {
        const row = tableRow("audit-row", { "message-id": e.messageId, outcome: e.outcome });
        cell(row, e.at); cell(row, e.direction); cell(row, e.actor); cell(row, e.mediaId); cell(row, e.assetId);
        cell(row, e.channel); cell(row, e.from); cell(row, e.to); cell(row, e.outcome, "status-" + e.outcome);
        cell(row, reasonInWords(e.reason, e.reasonMessage));
        return row;
      });
    });
  }

  function exportAudit() {
    return guarded("audit-error", async () => {
      const response = await callback(auditQuery(null, "csv"), { raw: true, headers: { Accept: "text/csv" } });
      const blob = await response.blob();
      const link = $("audit-download");
      if (link.href && link.href.startsWith("blob:")) { URL.revokeObjectURL(link.href); }
      link.href = URL.createObjectURL(blob);
      link.textContent = "audit.csv (" + bytes(blob.size) + ", " + Math.max(0, (await blob.text()).trim().split("\n").length - 1)
        + " rows)" + (response.headers.get("Audit-Next-Cursor") ? ", more pages follow" : "");
      link.hidden = false;
      link.click();
    });
  }

  // ---- views, log-in ----

  const LOADERS = { messages: () => loadMessages(false), media: loadMedia, assets: () => loadAssets(false),
    inbox: () => Promise.resolve(), webhooks: loadWebhooks, audit: () => loadAudit(false) };

  function showView(name) {
    for (const b of document.querySelectorAll("#tabs button")) { b.classList.toggle("active", b.dataset.view === name); }
    for (const v of document.querySelectorAll(".view")) { v.hidden = v.id !== "view-" + name; }
  }

  // Shows the session: state true (a key the API knows), false (none) or "checking".
  function loggedIn(state) {
    const key = apiKey();
    $("session").textContent = state === "checking" ? "Checking the key…"
      : state && key ? "Logged in with key …" + key.slice(-4) : "Not logged in";
    $("session").setAttribute("data-logged-in", String(state === "checking" ? "checking" : Boolean(state && key)));
  }

  function activeView() {
    const active = document.querySelector("#tabs button.active");
    return active ? active.dataset.view : "messages";
  }

  $("tabs").addEventListener("click", (event) => {
    const name = event.target.dataset && event.target.dataset.view;
    if (!name) { return; }
    showView(name);
    LOADERS[name]();
  });
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("api-key").value.trim();
    if (value) { sessionStorage.setItem(KEY, value); }
    $("api-key").value = "";
    loggedIn("checking");
    guarded("error", async () => {
      try {
        await callback("/v1/messages?limit=1"); // tells at once whether the key is known
      } catch (e) {
        sessionStorage.removeItem(KEY);
        loggedIn(false);
        throw e;
      }
      loggedIn(true);
      await LOADERS[activeView()]();
    });
  });
  $("forget-key").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    loggedIn(false);
    releaseThumbnails();
    for (const body of document.querySelectorAll("tbody")) { body.replaceChildren(); }
    $("detail").hidden = true;
    $("send").hidden = true;
    $("inbox-form").hidden = true;
  });
  $("filter-form").addEventListener("submit", (event) => { event.preventDefault(); loadMessages(false); });
  $("refresh").addEventListener("click", () => {
    for (const id of Object.values(MESSAGE_FIELDS)) { $(id).value = ""; }
    loadMessages(false);
  });
  $("more").addEventListener("click", () => loadMessages(true));
  $("detail-refresh").addEventListener("click", () => loadDetail());
  $("replay").addEventListener("click", () => replay(shown, "replay-result", "messages-error").then(() => loadDetail()));
  $("media-form").addEventListener("submit", (event) => { event.preventDefault(); loadMedia(); });
  $("asset-upload").addEventListener("submit", (event) => { event.preventDefault(); uploadAsset(); });
  $("asset-search").addEventListener("submit", (event) => { event.preventDefault(); loadAssets(false); });
  $("assets-more").addEventListener("click", () => loadAssets(true));
  $("send-form").addEventListener("submit", (event) => { event.preventDefault(); send(); });
  $("inbox-load").addEventListener("submit", (event) => { event.preventDefault(); loadInbox(); });
  $("inbox-form").addEventListener("submit", (event) => { event.preventDefault(); saveInbox(); });
  $("webhook-form").addEventListener("submit", (event) => { event.preventDefault(); createWebhook(); });
  $("audit-form").addEventListener("submit", (event) => { event.preventDefault(); loadAudit(false); });
  $("audit-more").addEventListener("click", () => loadAudit(true));
  $("audit-csv").addEventListener("click", () => exportAudit());

  loggedIn(Boolean(apiKey()));
  fetch("/console/config.json", { headers: { Accept: "application/json" } })
    .then((response) => response.json())
    .then((config) => {
      ingestUrl = config.ingestUrl || "";
      document.body.setAttribute("data-ready", "true");
      if (apiKey()) { loadMessages(false); }
    })
    .catch((e) => show("error", "The console's configuration could not be read: " + e.message));
}());
