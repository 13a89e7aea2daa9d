// The supervisor's dashboard: today live (queue, counters, turns per hour, last calls,
// refreshed by the office's display feed) and the report for a chosen range, with charts
// drawn as inline SVG and a CSV download. Supervisors and admins only; the session token
// lives in sessionStorage, so closing the tab signs out.
import { t, lang } from "./i18n.js";
import { $, el, api, LiveFeed, coalesce, formatter, secondsSince } from "./common.js";
import { followGateway, stopGateway } from "./supervisor-notify.js";
import { followAlerts, stopAlerts, mountAlerts } from "./supervisor-alerts.js";
import { hourChart, kpi } from "./supervisor-report.js";
import { mountRange } from "./report-range.js";
import { mountAudit } from "./supervisor-audit.js";

const KEY = "turnero.supervisor";
const LIVE_POLL_MS = 30000;
const HOURLY_MIN_MS = 10000;

let session = load();
let office = null; // {id, name, timezone, services, ...}
let feed = null;
let liveTimer = null;
let tickTimer = null;
let oldest = {}; // service id → oldest waiting ticket
let lastHourly = 0;
let showReport = () => {}; // the range form's, once mounted
let audit = null; // the audit trail's filter, once mounted

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}
function save() {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

function show(view) {
  for (const v of ["login", "pick", "board"]) $(`#view-${v}`).hidden = v !== view;
  document.body.dataset.view = view;
  const signedIn = view !== "login";
  $("#sign-out").hidden = !signedIn;
  $("#user-name").textContent = signedIn && session.user ? session.user.name || session.user.username : "";
}

function flash(text, kind = "error") {
  const f = $("#flash");
  f.textContent = text;
  f.className = `flash ${kind === "ok" ? "ok" : ""}`;
  f.hidden = !text;
}

/** An authenticated API call; a 401 ends the session. */
async function authed(path, options = {}) {
  try {
    return await api(path, { ...options, token: session.token });
  } catch (error) {
    if (error.status === 401) {
      signOut();
      $("#login-error").textContent = t("sup.sessionEnded");
      $("#login-error").hidden = false;
    }
    throw error;
  }
}

/** The sign-out button: ends the session on the server, then here. */
async function endSession() {
  if (session.token) await api("/auth/logout", { method: "POST", token: session.token }).catch(() => {});
  signOut();
}

function signOut() {
  if (feed) feed.stop();
  feed = null;
  stopGateway();
  stopAlerts();
  clearInterval(liveTimer);
  clearInterval(tickTimer);
  session = {};
  sessionStorage.removeItem(KEY);
  show("login");
}

async function onLogin(event) {
  event.preventDefault();
  const error = $("#login-error");
  error.hidden = true;
  const button = $("#login-submit");
  button.disabled = true;
  try {
    const result = await api("/auth/login", {
      method: "POST",
      body: { username: $("#username").value.trim(), password: $("#password").value },
    });
    const role = result.user && result.user.role;
    if (role !== "supervisor" && role !== "admin") {
      error.replaceChildren(
        el("span", {}, t("sup.notAllowed", { user: result.user ? result.user.username : "" })),
        " ",
        el("a", { href: "/agent" }, t("sup.toConsole")),
      );
      error.hidden = false;
      $("#password").value = "";
      $("#username").select();
      document.body.dataset.denied = "true";
      return;
    }
    session = { token: result.token, user: result.user };
    save();
    $("#password").value = "";
    await pickOffice();
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function pickOffice() {
  let offices = [];
  try {
    offices = await api("/offices");
  } catch (e) {
    flash(e.message);
    return;
  }
  const select = $("#office-select");
  select.replaceChildren(...offices.map((o) => el("option", { value: o.id }, o.name)));
  select.hidden = $("#office-label").hidden = offices.length < 2;
  // The organisation's page links to an office with `?office=`.
  const asked = new URLSearchParams(location.search).get("office");
  const known = offices.find((o) => o.id === asked) || offices.find((o) => o.id === session.office);
  if (known || offices.length === 1) return openOffice((known || offices[0]).id);
  $("#pick-list").replaceChildren(
    ...offices.map((o) => el("button", { type: "button", class: "btn", "data-office": o.id, onclick: () => openOffice(o.id) }, o.name)),
  );
  show("pick");
}

async function openOffice(id) {
  try {
    office = await api(`/offices/${encodeURIComponent(id)}`);
  } catch (e) {
    flash(e.message);
    return;
  }
  session.office = id;
  save();
  $("#office-select").value = id;
  $("#app-title").textContent = `${t("sup.title")} — ${office.name}`;
  document.title = `${t("sup.title")} — ${office.name}`;
  show("board");
  document.body.dataset.office = id;
  const today = localDay(new Date());
  if (!$("#from").value) $("#from").value = today;
  if (!$("#to").value) $("#to").value = today;
  startLive();
  followGateway(office, authed);
  followAlerts(office, session.token);
  if (!$("#panel-report").hidden) showReport();
  if (!$("#panel-audit").hidden) audit.show();
}

/** YYYY-MM-DD of `date` in the office's time zone. */
function localDay(date) {
  const parts = formatter(office && office.timezone, { year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(date);
  const get = (type) => (parts.find((p) => p.type === type) || {}).value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

// ---------------------------------------------------------------------------- live

function startLive() {
  if (feed) feed.stop();
  clearInterval(liveTimer);
  clearInterval(tickTimer);
  const refresh = coalesce(refreshLive, 300);
  feed = new LiveFeed(office.id, {
    onMessage: refresh,
    onStatus: (online, retryMs) => {
      $("#conn").textContent = online ? t("sup.live") : retryMs ? t("conn.retry", { seconds: Math.ceil(retryMs / 1000) }) : t("conn.offline");
      $("#conn").classList.toggle("off", !online);
    },
  });
  feed.start();
  liveTimer = setInterval(refreshLive, LIVE_POLL_MS);
  tickTimer = setInterval(tickLongest, 1000);
  refreshLive();
}

let liveBusy = false;
let liveAgain = false;
async function refreshLive() {
  if (!office) return;
  if (liveBusy) {
    liveAgain = true;
    return;
  }
  liveBusy = true;
  try {
    const id = encodeURIComponent(office.id);
    const [queue, summary] = await Promise.all([api(`/offices/${id}/queue`), api(`/offices/${id}`)]);
    office = { ...office, ...summary };
    oldest = await oldestWaiting(queue.counters || []);
    renderLive(queue);
    if (Date.now() - lastHourly > HOURLY_MIN_MS) {
      lastHourly = Date.now();
      refreshHourly();
    }
    document.body.dataset.liveAt = String(Date.now());
  } catch (e) {
    if (e.status !== 401) flash(e.message);
  } finally {
    liveBusy = false;
    if (liveAgain) {
      liveAgain = false;
      setTimeout(refreshLive, 200);
    }
  }
}

/** The oldest waiting turn of each service, from the waiting lists of counters that
 * together serve every service (the lists are in issue order per class). */
async function oldestWaiting(counters) {
  const needed = new Set((office.services || []).map((s) => s.id));
  const chosen = [];
  for (const c of [...counters].sort((a, b) => (b.services || []).length - (a.services || []).length)) {
    const adds = (c.services || []).filter((s) => needed.has(s));
    if (!adds.length) continue;
    chosen.push(c.id);
    adds.forEach((s) => needed.delete(s));
    if (!needed.size) break;
  }
  const lists = await Promise.all(
    chosen.map((c) => authed(`/offices/${encodeURIComponent(office.id)}/counters/${encodeURIComponent(c)}/waiting`).catch(() => [])),
  );
  const result = {};
  for (const ticket of lists.flat()) {
    if (!ticket || !ticket.issued_at) continue;
    const prev = result[ticket.service];
    if (!prev || Date.parse(ticket.issued_at) < Date.parse(prev.issued_at)) result[ticket.service] = ticket;
  }
  return result;
}

function renderLive(queue) {
  const services = office.services || [];
  const waiting = new Map((queue.waiting || []).map((w) => [w.service, w]));
  const total = services.reduce((a, s) => a + ((waiting.get(s.id) || s).count ?? s.waiting ?? 0), 0);
  const longest = Object.values(oldest).sort((a, b) => Date.parse(a.issued_at) - Date.parse(b.issued_at))[0];
  const counters = queue.counters || [];
  const count = (pred) => counters.filter(pred).length;
  const open = count((c) => !["closed", "paused"].includes(c.state));
  const paused = count((c) => c.state === "paused");
  const closed = count((c) => c.state === "closed");
  $("#live-kpis").replaceChildren(
    kpi("waiting", t("sup.waitingNow"), String(total)),
    kpi(
      "longest",
      t("sup.longestWait"),
      el("span", { class: "tick-since", "data-since": longest ? longest.issued_at : "" }, longest ? lang.shortDuration(secondsSince(longest.issued_at)) : t("sup.none")),
      longest ? `${longest.code} · ${longest.service_name || longest.service}` : t("sup.longestNone"),
    ),
    kpi("open", t("sup.countersOpen"), String(open)),
    kpi("paused", t("sup.countersPaused"), String(paused)),
    kpi("closed", t("sup.countersClosed"), String(closed)),
    kpi("served", t("sup.servedToday"), el("span", { id: "served-today" }, $("#served-today") ? $("#served-today").textContent : "…")),
  );

  // Waiting per service.
  $("#waiting-table").replaceChildren(
    el(
      "thead",
      {},
      el("tr", {}, ["sup.colService", "sup.colWaiting", "sup.colPreferential", "sup.colLongest", "sup.colEstimated"].map((k) => el("th", { scope: "col" }, t(k)))),
    ),
    el(
      "tbody",
      {},
      services.map((s) => {
        const w = waiting.get(s.id) || { count: s.waiting, preferential: s.waiting_preferential };
        const o = oldest[s.id];
        return el(
          "tr",
          { "data-service": s.id },
          el("th", { scope: "row" }, s.name),
          el("td", { class: "num" }, String(w.count ?? 0)),
          el("td", { class: "num" }, String(w.preferential ?? 0)),
          el("td", { class: "num" }, o ? el("span", { class: "tick-since", "data-since": o.issued_at }, lang.shortDuration(secondsSince(o.issued_at))) : t("sup.none"), o ? el("small", {}, ` ${o.code}`) : null),
          el("td", { class: "num" }, (w.count ?? 0) > 0 ? lang.shortDuration(s.estimated_wait_seconds) : t("sup.none")),
        );
      }),
    ),
  );

  // Counters.
  $("#counters").replaceChildren(
    ...counters.map((c) =>
      el(
        "li",
        { class: `counter state-${c.state}`, "data-counter": c.id, "data-state": c.state },
        el("p", { class: "counter-name" }, c.name, " ", el("span", { class: "badge state" }, t(`state.${c.state}`))),
        c.current
          ? el("p", { class: "counter-turn" }, el("span", { class: "code" }, c.current.code), " ", c.current.service_name || c.current.service)
          : el("p", { class: "counter-turn idle" }, c.state === "paused" && c.pause_reason ? t("sup.pauseReason", { reason: c.pause_reason }) : t("sup.noTurn")),
        c.agent ? el("p", { class: "counter-agent" }, c.agent) : null,
      ),
    ),
  );

  // Last calls.
  const fmt = formatter(office.timezone, { hour: "2-digit", minute: "2-digit" });
  const calls = queue.calls || [];
  $("#calls").replaceChildren(
    ...(calls.length
      ? calls.map((c) =>
          el(
            "li",
            {},
            el("span", { class: "code" }, c.code),
            el("span", {}, c.counter_name || c.counter, c.recall ? ` · ${t("display.recall")}` : ""),
            el("time", { datetime: c.at }, fmt.format(new Date(c.at))),
          ),
        )
      : [el("li", { class: "empty" }, t("sup.noCalls"))]),
  );
}

function tickLongest() {
  for (const node of document.querySelectorAll(".tick-since[data-since]")) {
    if (node.dataset.since) node.textContent = lang.shortDuration(secondsSince(node.dataset.since));
  }
}

/** Today's figures: turns per hour (chart) and served so far. */
async function refreshHourly() {
  const day = localDay(new Date());
  let report;
  try {
    report = await authed(`/offices/${encodeURIComponent(office.id)}/report?from=${day}&to=${day}`);
  } catch (e) {
    $("#hourly").replaceChildren(el("p", { class: "notice error" }, e.message));
    return;
  }
  const served = report && report.turns ? report.turns.served : null;
  if ($("#served-today")) $("#served-today").textContent = served ?? t("sup.none");
  $("#hourly").replaceChildren(hourChart(report, t("sup.callsPerHour"), t("sup.callsPerHourDesc")) || el("p", { class: "empty" }, t("sup.empty")));
}

// ---------------------------------------------------------------------------- tabs

const TABS = ["live", "report", "audit"];

function selectTab(name, focus = false) {
  for (const n of TABS) {
    const tab = $(`#tab-${n}`);
    const on = n === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#panel-${n}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  document.body.dataset.tab = name;
  if (name === "report" && office && !$("#report").childElementCount) showReport();
  if (name === "audit" && office && !$("#audit-table").childElementCount) audit.show();
}

function main() {
  mountAlerts();
  $("#app-title").textContent = t("sup.title");
  $("#login-title").textContent = t("sup.signIn");
  $("#login-hint").textContent = t("sup.signInHint");
  $("#username-label").textContent = t("agent.username");
  $("#password-label").textContent = t("agent.password");
  $("#login-submit").textContent = t("agent.enter");
  $("#pick-title").textContent = t("sup.pickOffice");
  $("#office-label").textContent = t("sup.office");
  $("#sign-out").textContent = t("sup.signOut");
  $("#tab-live").textContent = t("sup.tabLive");
  $("#tab-report").textContent = t("sup.tabReport");
  $("#tab-audit").textContent = t("sup.tabAudit");
  $("#waiting-title").textContent = t("sup.waitingByService");
  $("#counters-title").textContent = t("sup.counters");
  $("#hourly-title").textContent = t("sup.callsPerHour");
  $("#calls-title").textContent = t("sup.lastCalls");

  $("#login").addEventListener("submit", onLogin);
  $("#sign-out").addEventListener("click", endSession);
  $("#office-select").addEventListener("change", (e) => {
    $("#report").replaceChildren();
    audit.reset();
    openOffice(e.target.value);
  });
  ({ show: showReport } = mountRange({
    path: () => `/offices/${encodeURIComponent(office.id)}/report`,
    name: () => office.id,
    request: authed,
    token: () => session.token,
    ended: signOut,
  }));
  audit = mountAudit({ office: () => office, request: authed, today: () => localDay(new Date()) });
  for (const n of TABS) $(`#tab-${n}`).addEventListener("click", () => selectTab(n));
  document.querySelector("[role=tablist]").addEventListener("keydown", (e) => {
    const at = TABS.indexOf(document.body.dataset.tab || "live");
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1 + TABS.length, Home: 0, End: TABS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    selectTab(TABS[next % TABS.length], true);
  });
  document.body.dataset.tab = "live";

  if (session.token) {
    // Check the session is still good (a restarted server with another secret, or expiry).
    api("/auth/me", { token: session.token })
      .then(() => pickOffice())
      .catch(() => signOut());
  } else {
    show("login");
  }
}

main();
