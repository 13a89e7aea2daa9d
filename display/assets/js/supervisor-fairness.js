// The report's fairness section for supervisors: calls out of order per agent and reason
// (with the agents' notes), the preferential share against the policy, the longest wait
// of a normal turn behind preferential ones, and the turns skipped. Pure rendering.
import { t, lang, current } from "./i18n.js";
import { el } from "./common.js";

const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const fmtInt = (v) => (num(v) === null ? t("sup.none") : new Intl.NumberFormat(current()).format(v));
const fmtPct = (v) => (num(v) === null ? t("sup.none") : new Intl.NumberFormat(current(), { style: "percent", maximumFractionDigits: 0 }).format(v));
const fmtDur = (v) => (num(v) === null ? t("sup.fairNotCalled") : lang.shortDuration(v));

function table(caption, head, body) {
  return el(
    "div",
    { class: "table-wrap" },
    el(
      "table",
      { class: "data" },
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, head.map((k) => el("th", { scope: "col" }, t(k))))),
      el("tbody", {}, body.map((r) => el("tr", {}, r.map((c, i) => el(i ? "td" : "th", i ? {} : { scope: "row" }, c))))),
    ),
  );
}

/** The fairness panel's contents, or null when the report has no fairness section. */
export function fairnessPanel(report) {
  const f = report && report.fairness;
  if (!f || typeof f !== "object") return null;
  const out = [];
  const calls = Array.isArray(f.out_of_order) ? f.out_of_order : [];
  out.push(
    calls.length
      ? table(
          t("sup.fairOutOfOrder"),
          ["sup.colAgent", "sup.colReason", "sup.colCount", "sup.fairNotes"],
          calls.map((r) => [
            r.agent,
            r.label || r.reason,
            fmtInt(r.count),
            (r.notes || []).length ? el("ul", { class: "notes" }, r.notes.map((n) => el("li", {}, `${n.day} ${n.code}: ${n.note}`))) : "",
          ]),
        )
      : el("p", { class: "fair-none" }, t("sup.fairNone")),
  );
  const p = f.preferential_share || {};
  const policy = num(p.policy_max_consecutive) === null
    ? t("sup.fairStrict")
    : t("sup.fairCap", { k: p.policy_max_consecutive, share: fmtPct(p.policy_max_share) });
  out.push(
    el(
      "dl",
      { class: "stats" },
      [
        [t("sup.fairPrefShare"), `${fmtPct(p.share)} (${fmtInt(p.preferential)} / ${fmtInt(p.calls)})`, "pref-share"],
        [t("sup.fairPolicy"), policy, "policy"],
        [t("sup.fairStreak"), fmtInt(p.max_streak), "streak"],
        [
          t("sup.fairBehind"),
          f.longest_wait_behind_preferential
            ? t("sup.fairBehindValue", {
                code: f.longest_wait_behind_preferential.code,
                day: f.longest_wait_behind_preferential.day,
                minutes: f.longest_wait_behind_preferential.minutes,
                n: f.longest_wait_behind_preferential.preferential_ahead,
              })
            : t("sup.none"),
          "behind",
        ],
        [t("sup.fairSkipped"), t("sup.fairSkippedValue", { turns: fmtInt(f.skipped && f.skipped.turns), times: fmtInt(f.skipped && f.skipped.times) }), "skipped"],
      ].map(([label, value, id]) => el("div", { class: "stat", "data-stat": id }, el("dt", {}, label), el("dd", {}, value))),
    ),
  );
  const skipped = (f.skipped && f.skipped.longest) || [];
  if (skipped.length) {
    out.push(
      table(
        t("sup.fairSkippedList"),
        ["sup.fairColTurn", "sup.colCount", "sup.fairColUntilCalled"],
        skipped.map((s) => [`${s.day} ${s.code}`, fmtInt(s.times), fmtDur(s.seconds)]),
      ),
    );
  }
  return out;
}
