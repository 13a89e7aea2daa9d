// The supervisor's report for a range, drawn from the report JSON: headline figures,
// charts as inline SVG, and the breakdowns by service, category, counter, agent and hour
// (and by office, with fairness per office, for the organisation's report).
// Pure rendering: no session, no requests (supervisor.js fetches and calls renderReport).
import { t, lang, current } from "./i18n.js";
import { $, el, formatter } from "./common.js";
import { barChart, hbarChart, stackedBar, COLORS } from "./charts.js";
import { fairnessPanel } from "./supervisor-fairness.js";

const QUESTIONS = ["overall", "attention", "clarity", "wait_time", "response_time"];

const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const fmtInt = (v) => (num(v) === null ? t("sup.none") : new Intl.NumberFormat(current()).format(v));
const fmtDec = (v, d = 2) => (num(v) === null ? t("sup.none") : new Intl.NumberFormat(current(), { minimumFractionDigits: d, maximumFractionDigits: d }).format(v));
const fmtDur = (v) => (num(v) === null ? t("sup.none") : lang.shortDuration(v));
const fmtPct = (v) => (num(v) === null ? t("sup.none") : new Intl.NumberFormat(current(), { style: "percent", maximumFractionDigits: 0 }).format(v));
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

export function hourChart(report, title, desc) {
  const hours = rows(report, "by_hour").sort((a, b) => parseInt(a.id ?? a.hour, 10) - parseInt(b.id ?? b.hour, 10));
  if (!hours.length) return null;
  const pick = (k) => hours.map((h) => num(h.turns && h.turns[k]) ?? 0);
  const series = [{ label: t("sup.issued"), values: pick("issued"), color: COLORS[0] }];
  if (hours.some((h) => h.turns && "called" in h.turns)) series.push({ label: t("sup.called"), values: pick("called"), color: COLORS[1] });
  series.push({ label: t("sup.served"), values: pick("served"), color: COLORS[2] });
  return barChart({ title, desc, categories: hours.map(hourLabel), series, format: fmtInt, integer: true });
}

/** A headline figure: label, value and an optional detail line. */
export function kpi(id, label, value, detail) {
  return el("div", { class: "kpi", id: `kpi-${id}` }, el("p", { class: "kpi-label" }, label), el("p", { class: "kpi-value" }, value), detail ? el("p", { class: "kpi-detail" }, detail) : null);
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

export function renderReport(report, from, to) {
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
      sat ? kpi("satisfaction", t("sup.index"), fmtDec(sat.index), lang.responses(sat.responses)) : null,
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
          [t("sup.snoozed"), "snoozed" in turns ? fmtInt(turns.snoozed) : null, "snoozed"],
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
    ["by_office", "sup.byOffice"],
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

  // An office's report has one fairness section; the organisation's, one per office
  // (each judged against its own policy).
  const fair = Array.isArray(report.fairness)
    ? report.fairness.map((f) => [`${t("sup.fairness")} · ${f.name}`, `fairness-${f.office}`, { fairness: f }])
    : [[t("sup.fairness"), "fairness", report]];
  for (const [title, id, r] of fair) {
    const fairness = fairnessPanel(r);
    if (fairness) out.push(el("section", { class: "panel", id }, el("h2", {}, title), ...fairness));
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
