// The supervisor's dashboard: today live (queue, counters, turns per hour, last calls,
// refreshed by the office's display feed) and the report for a chosen range, with charts
// drawn as inline SVG and a CSV download. Supervisors and admins only; the session token
// lives in sessionStorage, so closing the tab signs out.
import { t, lang } from "./i18n.js";
import { $, el, api, LiveFeed, coalesce, formatter, secondsSince } from "./common.js";
import { barChart, hbarChart, stackedBar, COLORS } from "./charts.js";

const KEY = "turnero.supervisor";
const QUESTIONS = ["overall", "attention", "clarity", "wait_time", "response_time"];
const LIVE_POLL_MS = 30000;
const HOURLY_MIN_MS = 10000;

let session = load();
let office = null; // {id, name, timezone, services, ...}
let feed = null;
let liveTimer = null;
let tickTimer = null;
let oldest = {}; // service id → oldest waiting ticket
let lastHourly = 0;

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
  const known = offices.find((o) => o.id === session.office);
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
  if (!$("#panel-report").hidden) showReport();
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

function kpi(id, label, value, detail) {
  return el("div", { class: "kpi", id: `kpi-${id}` }, el("p", { class: "kpi-label" }, label), el("p", { class: "kpi-value" }, value), detail ? el("p", { class: "kpi-detail" }, detail) : null);
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

// ---------------------------------------------------------------------------- report

const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const fmtInt = (v) => (num(v) === null ? t("sup.none") : new Intl.NumberFormat("es").format(v));
const fmtDec = (v, d = 2) => (num(v) === null ? t("sup.none") : new Intl.NumberFormat("es", { minimumFractionDigits: d, maximumFractionDigits: d }).format(v));
const fmtDur = (v) => (num(v) === null ? t("sup.none") : lang.shortDuration(v));
const fmtPct = (v) => (num(v) === null ? t("sup.none") : new Intl.NumberFormat("es", { style: "percent", maximumFractionDigits: 0 }).format(v));
const minutes = (v) => (num(v) === null ? null : Math.round((v / 60) * 10) / 10);

/** A breakdown section as a list of {id, name, ...figures}, whatever its shape. */
function rows(report, key) {
  const section = report && report[key];
  if (Array.isArray(section)) return section.filter((r) => r && typeof r === "object");
  if (section && typeof section === "object") return Object.entries(section).map(([id, r]) => ({ id, ...(r || {}) }));
  return [];
}

function hourLabel(row) {
  const h = String(row.id ?? row.hour ?? row.name ?? "");
  const m = /^(\d{1,2})/.exec(h);
  return m ? `${m[1].padStart(2, "0")} h` : h;
}

function hourChart(report, title, desc) {
  const hours = rows(report, "by_hour").sort((a, b) => parseInt(a.id ?? a.hour, 10) - parseInt(b.id ?? b.hour, 10));
  if (!hours.length) return null;
  const pick = (k) => hours.map((h) => num(h.turns && h.turns[k]) ?? 0);
  const series = [{ label: t("sup.issued"), values: pick("issued"), color: COLORS[0] }];
  if (hours.some((h) => h.turns && "called" in h.turns)) series.push({ label: t("sup.called"), values: pick("called"), color: COLORS[1] });
  series.push({ label: t("sup.served"), values: pick("served"), color: COLORS[2] });
  return barChart({ title, desc, categories: hours.map(hourLabel), series, format: fmtInt, integer: true });
}

async function showReport(event) {
  if (event) event.preventDefault();
  const from = $("#from").value;
  const to = $("#to").value;
  if (!from || !to) {
    $("#range-status").textContent = t("sup.badRange");
    return;
  }
  $("#range-status").textContent = t("sup.loading");
  document.body.dataset.report = "loading";
  try {
    const report = await authed(`/offices/${encodeURIComponent(office.id)}/report?from=${from}&to=${to}`);
    $("#range-status").textContent = "";
    renderReport(report, from, to);
    document.body.dataset.report = "ready";
  } catch (e) {
    $("#range-status").textContent = "";
    $("#report").replaceChildren(el("p", { class: "notice error" }, e.message));
    document.body.dataset.report = "error";
  }
}

async function downloadCsv() {
  const from = $("#from").value;
  const to = $("#to").value;
  if (!from || !to) {
    $("#range-status").textContent = t("sup.badRange");
    return;
  }
  $("#range-status").textContent = t("sup.loading");
  try {
    const response = await fetch(`/api/v1/offices/${encodeURIComponent(office.id)}/report?from=${from}&to=${to}&format=csv`, {
      headers: { Authorization: `Bearer ${session.token}` },
      cache: "no-store",
    });
    if (!response.ok) {
      let message = t("error.generic");
      try {
        message = (await response.json()).error.message || message;
      } catch {
        /* not JSON */
      }
      if (response.status === 401) signOut();
      throw new Error(message);
    }
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: `informe-${office.id}-${from}_${to}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    $("#range-status").textContent = t("sup.csvReady");
    document.body.dataset.csv = String(blob.size);
  } catch (e) {
    $("#range-status").textContent = e.message || t("error.network");
  }
}

function panel(title, ...children) {
  return el("section", { class: "panel" }, el("h2", {}, title), ...children);
}

function statList(items) {
  return el(
    "dl",
    { class: "stats" },
    items.filter(Boolean).map(([label, value, id]) => el("div", { class: "stat", "data-stat": id || null }, el("dt", {}, label), el("dd", {}, value))),
  );
}

function summaryStats(s) {
  if (!s || typeof s !== "object") return null;
  return statList([
    [t("sup.mean"), fmtDur(s.mean)],
    [t("sup.p50"), fmtDur(s.p50)],
    [t("sup.p90"), fmtDur(s.p90)],
    [t("sup.max"), fmtDur(s.max)],
  ]);
}

function breakdownTable(title, list, { idle = false } = {}) {
  if (!list.length) return null;
  const head = ["sup.colName", "sup.colIssued", "sup.colServed", "sup.colNoShow", "sup.colWaitP50", "sup.colWaitP90", "sup.colServiceP50", "sup.colSat"];
  const showIdle = idle && list.some((r) => "idle_seconds" in r || "pause_seconds" in r);
  if (showIdle) head.push("sup.colIdle", "sup.colPause");
  return el(
    "div",
    { class: "table-wrap" },
    el(
      "table",
      { class: "data" },
      el("caption", {}, title),
      el("thead", {}, el("tr", {}, head.map((k) => el("th", { scope: "col" }, t(k))))),
      el(
        "tbody",
        {},
        list.map((r) => {
          const turns = r.turns || {};
          const wait = r.wait_seconds || {};
          const service = r.service_seconds || {};
          const sat = r.satisfaction || {};
          return el(
            "tr",
            {},
            el("th", { scope: "row" }, r.name || r.label || r.id || ""),
            el("td", { class: "num" }, fmtInt(turns.issued)),
            el("td", { class: "num" }, fmtInt(turns.served)),
            el("td", { class: "num" }, fmtInt(turns.no_show)),
            el("td", { class: "num" }, fmtDur(wait.p50)),
            el("td", { class: "num" }, fmtDur(wait.p90)),
            el("td", { class: "num" }, fmtDur(service.p50)),
            el("td", { class: "num" }, num(sat.index) === null ? t("sup.none") : `${fmtDec(sat.index)} (${fmtInt(sat.responses)})`),
            showIdle ? el("td", { class: "num" }, fmtDur(r.idle_seconds)) : null,
            showIdle ? el("td", { class: "num" }, fmtDur(r.pause_seconds)) : null,
          );
        }),
      ),
    ),
  );
}

function renderReport(report, from, to) {
  const out = [];
  const turns = report.turns || {};
  const wait = report.wait_seconds;
  const service = report.service_seconds;
  const sat = report.satisfaction || null;
  const day = (d) => formatter("UTC", { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(new Date(`${d}T12:00:00Z`));
  out.push(
    el("h2", { class: "report-title", id: "report-title" }, from === to ? t("sup.rangeOne", { from: day(from) }) : t("sup.range", { from: day(from), to: day(to) })),
  );

  // Headline figures.
  out.push(
    el(
      "div",
      { class: "kpis" },
      kpi("issued", t("sup.issued"), fmtInt(turns.issued)),
      kpi("served", t("sup.served"), fmtInt(turns.served)),
      kpi("no_show", t("sup.noShow"), fmtInt(turns.no_show)),
      wait ? kpi("wait", `${t("sup.wait")} · ${t("sup.p50").toLowerCase()}`, fmtDur(wait.p50), `${t("sup.p90")}: ${fmtDur(wait.p90)}`) : null,
      service ? kpi("service", `${t("sup.service")} · ${t("sup.p50").toLowerCase()}`, fmtDur(service.p50), `${t("sup.p90")}: ${fmtDur(service.p90)}`) : null,
      sat ? kpi("satisfaction", t("sup.index"), fmtDec(sat.index), `${fmtInt(sat.responses)} ${t("sup.responses").toLowerCase()}`) : null,
    ),
  );

  const charts = [];
  // Outcomes: what became of the turns.
  if (report.turns) {
    const parts = [
      { label: t("sup.served"), value: num(turns.served) ?? 0, color: "#1d6b3a" },
      { label: t("sup.noShow"), value: num(turns.no_show) ?? 0, color: "#a1261d" },
      { label: t("sup.expired"), value: num(turns.expired) ?? 0, color: "#8a4b00" },
    ];
    if (num(turns.cancelled) !== null) parts.push({ label: t("sup.cancelled"), value: turns.cancelled, color: "#5b2a86" });
    const ended = parts.reduce((a, p) => a + p.value, 0);
    const other = (num(turns.issued) ?? 0) - ended;
    if (other > 0) parts.push({ label: t("sup.other"), value: other, color: "#3d4d5c" });
    charts.push(
      panel(
        t("sup.outcomes"),
        stackedBar({ title: t("sup.outcomes"), desc: t("sup.outcomesDesc"), parts, format: fmtInt }),
        statList([
          [t("sup.issued"), fmtInt(turns.issued), "issued"],
          [t("sup.called"), "called" in turns ? fmtInt(turns.called) : null, "called"],
          [t("sup.transferred"), fmtInt(turns.transferred), "transferred"],
          report.within_target && num(report.within_target.share) !== null ? [t("sup.withinTarget"), fmtPct(report.within_target.share), "within"] : null,
        ].filter((x) => x && x[1] !== null)),
      ),
    );
  }
  // Per hour.
  const perHour = hourChart(report, t("sup.perHour"), t("sup.perHourDesc"));
  if (perHour) charts.push(panel(t("sup.perHour"), perHour));
  // Wait by service: minutes, or seconds when every wait is short.
  const services = rows(report, "by_service");
  if (services.length) {
    const p90s = services.map((s) => num(s.wait_seconds && s.wait_seconds.p90) ?? 0);
    const inMinutes = Math.max(0, ...p90s) >= 120;
    const unit = (v) => (num(v) === null ? null : inMinutes ? minutes(v) : v);
    const title = inMinutes ? t("sup.waitByService") : t("sup.waitByServiceSec");
    charts.push(
      panel(
        title,
        barChart({
          title,
          desc: inMinutes ? t("sup.waitByServiceDesc") : t("sup.waitByServiceDescSec"),
          categories: services.map((s) => s.name || s.id),
          series: [
            { label: t("sup.p50"), values: services.map((s) => unit(s.wait_seconds && s.wait_seconds.p50)), color: COLORS[0] },
            { label: t("sup.p90"), values: services.map((s) => unit(s.wait_seconds && s.wait_seconds.p90)), color: COLORS[1] },
          ],
          format: (v) => fmtDec(v, v % 1 ? 1 : 0),
          integer: !inMinutes,
        }),
      ),
    );
  }
  // Satisfaction per question.
  if (sat) {
    const by = sat.by_question || {};
    charts.push(
      panel(
        t("sup.satByQuestion"),
        hbarChart({
          title: t("sup.satByQuestion"),
          desc: t("sup.satByQuestionDesc"),
          items: QUESTIONS.map((q) => ({ label: t(`sup.q.${q}`), value: num(by[q]) })),
          min: 1,
          max: 5,
          format: (v) => fmtDec(v, v % 1 ? 2 : 0),
          labelWidth: 230,
        }),
        statList([
          [t("sup.responses"), fmtInt(sat.responses), "responses"],
          num(sat.response_rate) !== null ? [t("sup.responseRate"), fmtPct(sat.response_rate)] : null,
          num(sat.below_3_share) !== null ? [t("sup.dissatisfied"), fmtPct(sat.below_3_share)] : null,
          num(sat.top_share) !== null ? [t("sup.topShare"), fmtPct(sat.top_share)] : null,
        ]),
      ),
    );
  }
  out.push(el("div", { class: "charts" }, charts));

  // Wait and service times.
  if (wait || service) {
    out.push(
      el(
        "div",
        { class: "two" },
        wait ? panel(t("sup.wait"), summaryStats(wait)) : null,
        service ? panel(t("sup.service"), summaryStats(service)) : null,
      ),
    );
  }

  // Breakdowns.
  for (const [key, title, opts] of [
    ["by_service", "sup.byService"],
    ["by_class", "sup.byClass"],
    ["by_category", "sup.byCategory"],
    ["by_counter", "sup.byCounter", { idle: true }],
    ["by_agent", "sup.byAgent", { idle: true }],
    ["by_hour", "sup.byHour"],
  ]) {
    const list = rows(report, key);
    const table = breakdownTable(t(title), key === "by_hour" ? list.map((r) => ({ ...r, name: hourLabel(r) })) : list, opts);
    if (table) out.push(panel(t(title), table));
  }

  // Pauses and cases.
  const pauses = rows(report, "pauses");
  if (pauses.length) {
    out.push(
      panel(
        t("sup.pauses"),
        simpleTable(t("sup.pauses"), ["sup.colReason", "sup.colCount", "sup.colTotal"], pauses.map((p) => [p.reason, fmtInt(p.count), fmtDur(p.total_seconds)])),
      ),
    );
  }
  const cases = rows(report, "cases");
  if (cases.length) {
    const labels = Object.fromEntries(t("survey.caseTypes"));
    out.push(panel(t("sup.cases"), simpleTable(t("sup.cases"), ["sup.colCaseType", "sup.colCount"], cases.map((c) => [labels[c.type] || c.type || c.id, fmtInt(c.count)]))));
  }
  if (!report.turns && !wait && !sat) out.push(el("p", { class: "empty" }, t("sup.empty")));
  $("#report").replaceChildren(...out.filter(Boolean));
}

function simpleTable(caption, head, body) {
  return el(
    "div",
    { class: "table-wrap" },
    el(
      "table",
      { class: "data" },
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, head.map((k) => el("th", { scope: "col" }, t(k))))),
      el("tbody", {}, body.map((r) => el("tr", {}, r.map((c, i) => el(i ? "td" : "th", i ? { class: "num" } : { scope: "row" }, c))))),
    ),
  );
}

// ---------------------------------------------------------------------------- tabs

function selectTab(name, focus = false) {
  for (const n of ["live", "report"]) {
    const tab = $(`#tab-${n}`);
    const on = n === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#panel-${n}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  document.body.dataset.tab = name;
  if (name === "report" && office && !$("#report").childElementCount) showReport();
}

function main() {
  document.documentElement.lang = lang.strings.locale || "es";
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
  $("#waiting-title").textContent = t("sup.waitingByService");
  $("#counters-title").textContent = t("sup.counters");
  $("#hourly-title").textContent = t("sup.callsPerHour");
  $("#calls-title").textContent = t("sup.lastCalls");
  $("#from-label").textContent = t("sup.from");
  $("#to-label").textContent = t("sup.to");
  $("#show-report").textContent = t("sup.show");
  $("#csv").textContent = t("sup.csv");

  $("#login").addEventListener("submit", onLogin);
  $("#sign-out").addEventListener("click", endSession);
  $("#office-select").addEventListener("change", (e) => {
    $("#report").replaceChildren();
    openOffice(e.target.value);
  });
  $("#range").addEventListener("submit", showReport);
  $("#csv").addEventListener("click", downloadCsv);
  $("#tab-live").addEventListener("click", () => selectTab("live"));
  $("#tab-report").addEventListener("click", () => selectTab("report"));
  document.querySelector("[role=tablist]").addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft" || e.key === "Home" || e.key === "End") {
      e.preventDefault();
      const current = document.body.dataset.tab || "live";
      selectTab(current === "live" ? "report" : "live", true);
    }
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
