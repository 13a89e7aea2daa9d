// The organisation's page, for admins: every office at a glance — counters open, people
// waiting, the longest wait, today's turns, the share within target, satisfaction and
// the alerts in force — refreshed every 15 s, each office a link to its supervisor's
// dashboard; and the report across offices for a range of days. It shares the
// dashboard's sign-in (sessionStorage), so an admin signed in there is signed in here.
import { t, current } from "./i18n.js";
import { $, el, api } from "./common.js";
import { kpi } from "./supervisor-report.js";
import { mountRange } from "./report-range.js";

const KEY = "turnero.supervisor";
const EVERY_MS = 15000;
let session = load();
let timer = null;

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}

function show(view) {
  for (const v of ["login", "board"]) $(`#view-${v}`).hidden = v !== view;
  document.body.dataset.view = view;
}

const percent = (v) => (v === null || v === undefined ? "—" : new Intl.NumberFormat(current(), { style: "percent", maximumFractionDigits: 0 }).format(v));
const minutes = (s) => (s === null || s === undefined ? "—" : t("org.minutes", { minutes: Math.round(s / 60) }));
const index = (v) => (v === null || v === undefined ? "—" : v.toFixed(1));

/** An office's alerts in force, each its sentence, or "Ninguna". */
function alertList(alerts) {
  if (!alerts.length) return el("span", { class: "hint" }, t("org.noAlerts"));
  return el("ul", { class: "org-alerts" }, alerts.map((a) => el("li", { dataset: { kind: a.kind } }, a.message)));
}

function render(offices) {
  const sum = (f) => offices.reduce((a, o) => a + (o[f] || 0), 0);
  const longest = offices.reduce((a, o) => (o.longest_wait_seconds > (a ? a.longest_wait_seconds : -1) ? o : a), null);
  $("#org-kpis").replaceChildren(
    kpi("org-offices", t("org.offices"), String(offices.length)),
    kpi("org-waiting", t("org.waiting"), String(sum("waiting"))),
    kpi("org-open", t("org.countersOpen"), `${sum("counters_open")} / ${sum("counters")}`),
    kpi("org-longest", t("org.longest"), minutes(longest && longest.longest_wait_seconds), longest ? longest.name : ""),
    kpi("org-served", t("org.served"), String(sum("served_today"))),
    kpi("org-alerts", t("org.alerts"), String(offices.reduce((a, o) => a + (o.alerts || []).length, 0))),
  );
  const head = el(
    "thead",
    {},
    el(
      "tr",
      {},
      el("th", { scope: "col" }, t("org.office")),
      el("th", { scope: "col", class: "num" }, t("org.countersOpen")),
      el("th", { scope: "col", class: "num" }, t("org.paused")),
      el("th", { scope: "col", class: "num" }, t("org.waiting")),
      el("th", { scope: "col", class: "num" }, t("org.longest")),
      el("th", { scope: "col", class: "num" }, t("org.served")),
      el("th", { scope: "col", class: "num" }, t("org.within")),
      el("th", { scope: "col", class: "num" }, t("org.satisfaction")),
      el("th", { scope: "col", class: "alerts-cell" }, t("org.alerts")),
    ),
  );
  const rows = offices.map((o) =>
    el(
      "tr",
      { dataset: { office: o.id } },
      el("th", { scope: "row" }, el("a", { href: `/supervisor?office=${encodeURIComponent(o.id)}` }, o.name), o.open_now ? "" : el("span", { class: "badge" }, t("org.closed"))),
      el("td", { class: "num" }, `${o.counters_open} / ${o.counters}`),
      el("td", { class: "num" }, String(o.counters_paused)),
      el("td", { class: "num" }, String(o.waiting)),
      el("td", { class: "num" }, minutes(o.longest_wait_seconds), o.longest_wait_code ? el("span", { class: "hint" }, ` ${o.longest_wait_code}`) : ""),
      el("td", { class: "num" }, String(o.served_today)),
      el("td", { class: "num" }, percent(o.within_target_today)),
      el("td", { class: "num" }, `${index(o.satisfaction_today)} (${o.survey_responses_today})`),
      el("td", { class: "alerts-cell" }, alertList(o.alerts || [])),
    ),
  );
  $("#offices").replaceChildren(el("caption", {}, t("org.officesTitle")), head, el("tbody", {}, ...rows));
  $("#updated").textContent = t("org.updated", { time: new Date().toLocaleTimeString(current(), { hour: "2-digit", minute: "2-digit", second: "2-digit" }) });
  document.body.dataset.loadedAt = String(Date.now());
}

async function refresh() {
  try {
    render(await api("/organisation", { token: session.token }));
    $("#flash").hidden = true;
  } catch (error) {
    if (error.status === 401 || error.status === 403) {
      signOut(error.status === 403 ? t("org.onlyAdmins") : t("sup.sessionEnded"));
      return;
    }
    $("#flash").textContent = error.message;
    $("#flash").hidden = false;
  }
}

let report = null; // the range form, once mounted

function start() {
  $("#user-name").textContent = session.user ? session.user.name : "";
  $("#sign-out").hidden = false;
  show("board");
  clearInterval(timer);
  timer = setInterval(refresh, EVERY_MS);
  refresh();
  report.show(); // today's (the server's day) until another range is chosen
}

function signOut(problem) {
  clearInterval(timer);
  $("#report").replaceChildren();
  session = {};
  sessionStorage.removeItem(KEY);
  $("#sign-out").hidden = true;
  $("#user-name").textContent = "";
  $("#login-error").textContent = problem || "";
  $("#login-error").hidden = !problem;
  show("login");
}

async function onLogin(event) {
  event.preventDefault();
  try {
    const result = await api("/auth/login", {
      method: "POST",
      body: { username: $("#username").value.trim(), password: $("#password").value },
    });
    $("#password").value = "";
    if (!result.user || result.user.role !== "admin") return signOut(t("org.onlyAdmins"));
    session = { token: result.token, user: result.user };
    sessionStorage.setItem(KEY, JSON.stringify(session));
    start();
  } catch (error) {
    $("#login-error").textContent = error.message;
    $("#login-error").hidden = false;
  }
}

function main() {
  document.title = t("org.title");
  $("#app-title").textContent = t("org.title");
  $("#login-title").textContent = t("sup.signIn");
  $("#login-hint").textContent = t("org.signInHint");
  $("#username-label").textContent = t("agent.username");
  $("#password-label").textContent = t("agent.password");
  $("#login-submit").textContent = t("sup.signIn");
  $("#sign-out").textContent = t("sup.signOut");
  $("#offices-title").textContent = t("org.officesTitle");
  $("#org-report-title").textContent = t("org.reportTitle");
  $("#org-report-hint").textContent = t("org.reportHint");
  report = mountRange({
    path: () => "/organisation/report",
    name: () => "organizacion",
    request: async (path) => {
      try {
        return await api(path, { token: session.token });
      } catch (error) {
        if (error.status === 401 || error.status === 403) signOut(error.status === 403 ? t("org.onlyAdmins") : t("sup.sessionEnded"));
        throw error;
      }
    },
    token: () => session.token,
    ended: () => signOut(t("sup.sessionEnded")),
  });
  $("#login").addEventListener("submit", onLogin);
  $("#sign-out").addEventListener("click", async () => {
    if (session.token) await api("/auth/logout", { method: "POST", token: session.token }).catch(() => {});
    signOut();
  });
  if (session.token && session.user && session.user.role === "admin") start();
  else show("login");
}

main();
