// Agent console: sign in, pick a counter, then one screen with the current turn, the
// actions (with keyboard shortcuts) and the waiting turns. Live through the office feed
// (any message means "something changed": refetch) plus a slow poll. The session token
// lives in sessionStorage, so closing the tab signs out.
import { t, lang } from "./i18n.js";
import { $, el, api, LiveFeed, coalesce, secondsSince, clockDuration } from "./common.js";
import { confirmNoShow, offerUndo, hideUndo } from "./agent-noshow.js";
import { setupTexts } from "./agent-texts.js";
import { openTransfer, openCall, callAnswer, openPause } from "./agent-dialogs.js";

const KEY = "turnero.agent";
const POLL_MS = 15000;
// What each action says once done, and which button comes next.
const DONE = {
  recall: "agent.recalled", start: "agent.started", finish: "agent.finished",
  pause: "agent.pausedDone", resume: "agent.resumedDone", open: "agent.openedDone",
};
const NEXT = {
  "call-next": "start", call: "start", recall: "start", "undo-no-show": "start",
  start: "finish", finish: "call-next", transfer: "call-next", resume: "call-next", open: "call-next",
};
const SHORTCUTS = { l: "call-next", r: "recall", i: "start", f: "finish", n: "no-show", t: "transfer", e: "call", p: "pause-or-resume" };
const ENABLED = {
  closed: ["open"],
  open: ["call-next", "call", "pause"],
  calling: ["recall", "start", "finish", "no-show", "transfer"],
  serving: ["finish", "transfer"],
  paused: ["resume"],
};

let session = readSession();
let counter = null;
let waiting = [];
let waitingAt = 0;
let officeInfo = null;
// The office's reasons for a call out of order ({id, label, note_required}).
let callReasons = [];
let feed = null;
let pollTimer = null;
let inFlight = false;
let flashTimer = null;

function readSession() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}
function saveSession() {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

const officePath = () => `/offices/${encodeURIComponent(session.office)}`;
const counterPath = () => `${officePath()}/counters/${encodeURIComponent(session.counter)}`;
const call = (path, options = {}) => api(path, { ...options, token: session.token });

function show(view) {
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${view}`;
  document.body.dataset.view = view;
  const signedIn = view !== "login";
  $("#sign-out").hidden = !signedIn;
  $("#change-counter").hidden = view !== "desk";
  $("#state-badge").hidden = view !== "desk";
  $("#user-name").textContent = signedIn && session.user ? session.user.name : "";
  if (view !== "desk") {
    stopLive();
    $("#where").textContent = "";
  }
}

function flash(message, ok = false) {
  const box = $("#flash");
  box.textContent = message;
  box.classList.toggle("ok", ok);
  box.dataset.network = "false";
  box.hidden = false;
  clearTimeout(flashTimer);
  if (ok) flashTimer = setTimeout(() => (box.hidden = true), 6000);
}
function clearFlash() {
  $("#flash").hidden = true;
  $("#flash").dataset.network = "false";
}

/** Shows whether the console reaches the server; back online, a network error's notice
 *  goes at once instead of lingering until the next action. */
function setOnline(online) {
  const badge = $("#conn-state");
  badge.hidden = document.body.dataset.view !== "desk";
  badge.textContent = t(online ? "agent.online" : "agent.offline");
  badge.classList.toggle("offline", !online);
  document.body.dataset.online = String(online);
  if (online && $("#flash").dataset.network === "true") clearFlash();
}

function handleError(error) {
  if (error.status === 0) {
    setOnline(false);
    flash(error.message);
    $("#flash").dataset.network = "true";
    return;
  }
  if (error.status === 401) {
    session = {};
    sessionStorage.removeItem(KEY);
    show("login");
    flash(t("agent.sessionEnded"));
    $("#username").focus();
    return;
  }
  flash(error.message);
}

// ---- sign in and pick a counter ----

async function onLogin(event) {
  event.preventDefault();
  const button = $("#login-submit");
  button.disabled = true;
  try {
    const result = await api("/auth/login", {
      method: "POST",
      body: { username: $("#username").value.trim(), password: $("#password").value },
    });
    session = { token: result.token, user: result.user, office: result.user.office || null };
    saveSession();
    $("#password").value = "";
    clearFlash();
    await showPick();
  } catch (error) {
    flash(error.message);
    $("#password").select();
  } finally {
    button.disabled = false;
  }
}

async function showPick() {
  show("pick");
  const list = $("#pick-list");
  try {
    if (!session.office) {
      $("#pick-title").textContent = t("agent.pickOffice");
      const offices = await call("/offices");
      list.replaceChildren(
        ...offices.map((o) =>
          el("button", { type: "button", class: "btn", onclick: () => { session.office = o.id; saveSession(); showPick(); } }, o.name),
        ),
      );
      list.querySelector("button")?.focus();
      return;
    }
    $("#pick-title").textContent = t("agent.pickCounter");
    const queue = await call(`${officePath()}/queue`);
    list.replaceChildren(
      ...queue.counters.map((c) =>
        el(
          "button",
          { type: "button", class: "btn", dataset: { counter: c.id }, onclick: () => pickCounter(c.id) },
          el("span", {}, c.name),
          el("small", {}, t(`state.${c.state}`) + (c.agent ? ` · ${c.agent}` : "")),
        ),
      ),
    );
    list.querySelector("button")?.focus();
  } catch (error) {
    handleError(error);
  }
}

async function pickCounter(id) {
  session.counter = id;
  saveSession();
  await enterDesk();
}

// ---- the desk ----

async function enterDesk() {
  try {
    officeInfo = await call(officePath());
    callReasons = await call(`${officePath()}/call-reasons`);
    counter = await call(counterPath());
    if (counter.state === "closed") counter = await call(`${counterPath()}/open`, { method: "POST" });
  } catch (error) {
    if (error.status === 404 || error.status === 403 || error.status === 409) {
      session.counter = null;
      saveSession();
      await showPick();
    }
    handleError(error);
    return;
  }
  clearFlash();
  show("desk");
  $("#where").textContent = `· ${officeInfo.name} · ${counter.name}`;
  document.title = `${counter.name} — ${t("agent.title")}`;
  render();
  await refreshWaiting();
  startLive();
  $('[data-action="call-next"]').focus();
}

async function refresh() {
  if (document.body.dataset.view !== "desk") return;
  try {
    const [c] = await Promise.all([call(counterPath()), refreshWaiting()]);
    const before = counter && counter.current;
    counter = c;
    if (before && before.status === "called" && !c.current && !inFlight) tellWhyItLeft(before);
    // The server answered: a live feed still waiting out its backoff tries again now.
    if (feed && document.body.dataset.online === "false") feed.reconnectNow();
    setOnline(true);
    render();
  } catch (error) {
    handleError(error);
  }
}

// The turn called here left the counter without the agent acting: its citizen, on the
// way, asked for a few minutes ("voy en camino"). The agent is told, and calls the next.
async function tellWhyItLeft(ticket) {
  try {
    const now = await call(`/api/v1/tickets/${encodeURIComponent(ticket.token)}`);
    if (now && now.snoozed && now.status === "waiting") {
      flash(t("agent.snoozed", { code: now.code, turns: now.snooze_turns }), true);
    }
  } catch {
    // Only a courtesy: the console shows the counter free all the same.
  }
}

async function refreshWaiting() {
  const list = await call(`${counterPath()}/waiting`);
  waiting = Array.isArray(list) ? list : [];
  waitingAt = Date.now();
  renderQueue();
}

function startLive() {
  stopLive();
  feed = new LiveFeed(session.office, {
    onMessage: coalesce(refresh, 250),
    onStatus: (online) => {
      setOnline(online);
      if (online) refresh();
    },
  });
  feed.start();
  pollTimer = setInterval(refresh, POLL_MS);
}
function stopLive() {
  if (feed) feed.stop();
  feed = null;
  clearInterval(pollTimer);
}

function render() {
  if (!counter) return;
  // A supervisor took the counter over: this console no longer acts at it.
  const me = session.user && session.user.username;
  if (counter.agent && me && counter.agent !== me) {
    const holder = counter.agent;
    counter = null;
    stopLive();
    showPick();
    flash(t("agent.takenOver", { agent: holder }));
    return;
  }
  const badge = $("#state-badge");
  badge.textContent = t(`state.${counter.state}`);
  badge.dataset.state = counter.state;
  document.body.dataset.counterState = counter.state;
  const box = $("#current");
  const ticket = counter.current;
  box.className = "current-body";
  if (counter.state === "paused") {
    box.classList.add("paused");
    box.replaceChildren(
      el("p", { class: "status" }, t("state.paused") + (counter.pause_reason ? ` · ${counter.pause_reason}` : "")),
      el("p", { class: "timer", id: "timer" }),
    );
  } else if (ticket) {
    box.replaceChildren(
      el("p", { class: "status" }, ticket.status === "serving" ? t("state.serving") : t("state.calling")),
      el("p", { class: "code", id: "current-code" }, ticket.code),
      el(
        "p",
        { class: "meta" },
        ticket.service_name,
        " · ",
        ticket.preferential ? el("span", { class: "badge pref" }, ticket.category_label || ticket.category) : ticket.category_label || "",
        ticket.recalls ? ` · ${t("agent.recalls", { n: ticket.recalls + 1 })}` : "",
      ),
      el("p", { class: "timer", id: "timer" }),
    );
  } else {
    box.classList.add("idle");
    box.replaceChildren(
      el("strong", {}, counter.state === "closed" ? t("state.closed") : t("agent.noCurrent")),
      el("p", {}, counter.state === "closed" ? "" : t("agent.noCurrentHint")),
    );
  }
  tick();
  const enabled = ENABLED[counter.state] || [];
  for (const button of document.querySelectorAll("#actions [data-action]")) {
    const action = button.dataset.action;
    button.disabled = inFlight || !enabled.includes(action);
    if (action === "pause") button.hidden = counter.state === "paused" || counter.state === "closed";
    if (action === "resume") button.hidden = counter.state !== "paused";
    if (action === "open") button.hidden = counter.state !== "closed";
  }
  const recall = $('[data-action="recall"] .count');
  if (recall) recall.textContent = ticket && ticket.recalls ? ` (${ticket.recalls})` : "";
}

function tick() {
  const timer = document.getElementById("timer");
  if (timer && counter) {
    const time = clockDuration(secondsSince(counter.since));
    const key = counter.state === "paused" ? "agent.pausedFor" : counter.state === "serving" ? "agent.servingFor" : "agent.calledFor";
    timer.textContent = t(key, { time });
  }
  const elapsed = (Date.now() - waitingAt) / 1000;
  for (const cell of document.querySelectorAll("#queue [data-waited]")) {
    cell.textContent = lang.shortDuration(Number(cell.dataset.waited) + elapsed);
  }
}

function renderQueue() {
  const focused = document.activeElement && document.activeElement.closest("#queue") ? document.activeElement.dataset.code : null;
  const longest = waiting.reduce((a, b) => (!a || b.waited_seconds > a.waited_seconds ? b : a), null);
  $("#queue-summary").textContent = longest
    ? t("agent.waitingSummary", { count: waiting.length, longest: lang.shortDuration(longest.waited_seconds), code: longest.code })
    : "";
  const rows = waiting.map((w) =>
    el(
      "tr",
      { class: [w.preferential ? "pref" : "", w === longest && waiting.length > 1 ? "longest" : ""].join(" ").trim() || null, dataset: { code: w.code } },
      el("td", {}, el("span", { class: "code" }, w.code)),
      el("td", {}, w.service_name),
      el("td", {}, w.preferential ? el("span", { class: "badge pref" }, w.category_label || w.category) : w.category_label || ""),
      el("td", { dataset: { waited: String(w.waited_seconds || 0) } }, lang.shortDuration(w.waited_seconds)),
      el(
        "td",
        {},
        el("button", {
          type: "button", class: "btn", dataset: { code: w.code },
          "aria-label": `${t("agent.call")} ${w.code}`,
          disabled: !counter || counter.state !== "open" ? true : null,
          onclick: () => openCall(callReasons, w.code),
        }, t("agent.call")),
      ),
    ),
  );
  if (!rows.length) rows.push(el("tr", { class: "empty-row" }, el("td", { colspan: "5" }, t("agent.waitingNone"))));
  $("#queue").replaceChildren(...rows);
  if (focused) document.querySelector(`#queue button[data-code="${CSS.escape(focused)}"]`)?.focus();
}

// ---- actions ----

async function act(action, body) {
  if (inFlight) return;
  inFlight = true;
  render();
  try {
    const result = await call(`${counterPath()}/${action}`, { method: "POST", body });
    if (action === "call-next") document.body.dataset.actedAt = String(Date.now());
    if (action === "call-next" && result === null) flash(t("agent.nobodyWaiting"), true);
    else if ((action === "call-next" || action === "call") && result) flash(t("agent.called", { code: result.code }), true);
    else if (action === "transfer" && result) flash(t("agent.transferred", { code: result.code, service: result.service_name }), true);
    else if (action === "undo-no-show" && result) flash(t("agent.undone", { code: result.code }), true);
    else if (DONE[action] && result) flash(t(DONE[action], { code: result.code || "" }), true);
    else clearFlash();
    if (action === "no-show" && result) offerUndo(result, () => act("undo-no-show"));
    else if (action === "call-next" || action === "call" || action === "close") hideUndo();
    if (result && result.state) counter = result;
  } catch (error) {
    handleError(error);
  } finally {
    inFlight = false;
  }
  await refresh();
  // The hands stay on the keyboard: the next useful button has the focus.
  const next = document.querySelector(`#actions [data-action="${NEXT[action] || ""}"]`);
  if (next && !next.disabled && !document.querySelector("dialog[open]") && $("#undo-bar").hidden) next.focus();
}

function onAction(action) {
  if (action === "transfer") return openTransfer(counter && counter.current, officeInfo.services, act);
  if (action === "call") return openCall(callReasons);
  if (action === "pause") return openPause();
  if (action === "open") return act("open");
  if (action === "no-show") return askNoShow();
  act(action);
}

async function askNoShow() {
  const ticket = counter && counter.current;
  if (!ticket) return;
  if (await confirmNoShow(ticket)) act("no-show");
  else $('[data-action="no-show"]').focus();
}

function onKey(event) {
  if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
  if (document.body.dataset.view !== "desk") return;
  if (document.querySelector("dialog[open]")) return;
  const target = event.target;
  if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  let action = SHORTCUTS[event.key.toLowerCase()];
  if (!action) return;
  if (action === "pause-or-resume") action = counter && counter.state === "paused" ? "resume" : "pause";
  const button = document.querySelector(`#actions [data-action="${action}"]`);
  if (!button || button.disabled || button.hidden) return;
  event.preventDefault();
  button.click();
}

async function leaveCounter() {
  if (counter && ["open", "paused"].includes(counter.state)) {
    try {
      await call(`${counterPath()}/close`, { method: "POST" });
    } catch (error) {
      if (error.status !== 401) {
        flash(error.message);
        return false;
      }
    }
  }
  counter = null;
  session.counter = null;
  saveSession();
  return true;
}

async function boot() {
  setupTexts(onAction);
  $("#login").addEventListener("submit", onLogin);
  $("#call-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const answer = callAnswer();
    if (!answer || !answer.code) return;
    $("#dlg-call").close();
    act("call", answer);
  });
  $("#pause-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const other = $("#pause-other").value.trim();
    const picked = document.querySelector('#pause-reasons input:checked');
    const reason = other || (picked ? picked.value : "");
    if (!reason) return;
    $("#dlg-pause").close();
    act("pause", { reason });
  });
  for (const b of document.querySelectorAll("dialog .cancel-btn")) {
    b.addEventListener("click", (event) => {
      event.preventDefault();
      b.closest("dialog").close();
    });
  }
  $("#sign-out").addEventListener("click", async () => {
    if (document.body.dataset.view === "desk" && !(await leaveCounter())) return;
    // End the session on the server too: a token left in this browser is then worthless.
    if (session.token) await api("/auth/logout", { method: "POST", token: session.token }).catch(() => {});
    session = {};
    sessionStorage.removeItem(KEY);
    show("login");
    $("#username").focus();
  });
  $("#change-counter").addEventListener("click", async () => {
    if (await leaveCounter()) showPick();
  });
  document.addEventListener("keydown", onKey);
  setInterval(tick, 1000);

  if (!session.token) {
    show("login");
    $("#username").focus();
    return;
  }
  try {
    await call("/auth/me");
  } catch (error) {
    if (error.status === 401) return handleError(error);
  }
  if (session.counter) await enterDesk();
  else await showPick();
}

boot();
