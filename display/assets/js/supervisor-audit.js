// The supervisor's audit trail: the day's staff actions that changed something —
// sign-ins and sign-outs, counters taken over, calls out of order (with their reason),
// no-shows undone, bulk cancels, reprints — with who and from where, filtered by user and
// kind. The page gives the office, the session's fetch and the office's today.
import { t } from "./i18n.js";
import { $, el } from "./common.js";

const ACTIONS = ["sign_in", "sign_out", "take_over", "out_of_order_call", "no_show_undone", "bulk_cancel", "reprint"];

/**
 * Wires #audit-filter and #audit-table. `office()` is the office shown, `request(path)`
 * fetches JSON with the session, `today()` is the office's day (YYYY-MM-DD). Returns
 * `show`, to list on demand, and `reset`, for another office.
 */
export function mountAudit({ office, request, today }) {
  $("#audit-day-label").textContent = t("sup.auditDay");
  $("#audit-user-label").textContent = t("sup.auditUser");
  $("#audit-action-label").textContent = t("sup.auditAction");
  $("#audit-show").textContent = t("sup.auditShow");
  $("#audit-title").textContent = t("sup.auditTitle");
  $("#audit-action").replaceChildren(
    el("option", { value: "" }, t("sup.auditEvery")),
    ...ACTIONS.map((a) => el("option", { value: a }, t(`sup.audit.${a}`))),
  );
  const users = new Set();
  // A sign-in's detail is the user's role, said in the reader's language.
  const detail = (l) => ((l.action === "sign_in" || l.action === "sign_out") && ["agent", "supervisor", "admin"].includes(l.detail) ? t(`sup.role.${l.detail}`) : l.detail);

  function render(lines) {
    const time = (at) => String(at).slice(11, 19);
    const head = el("thead", {}, el("tr", {}, ["sup.auditAt", "sup.auditUser", "sup.auditAction", "sup.auditDetail", "sup.auditAddress"].map((k) => el("th", { scope: "col" }, t(k)))));
    const body = lines.length
      ? lines.map((l) =>
          el(
            "tr",
            { dataset: { action: l.action } },
            el("td", {}, time(l.at)),
            el("th", { scope: "row" }, l.user),
            el("td", {}, t(`sup.audit.${l.action}`)),
            el("td", {}, detail(l)),
            el("td", {}, l.address),
          ),
        )
      : [el("tr", {}, el("td", { colspan: "5", class: "empty" }, t("sup.auditNone")))];
    $("#audit-table").replaceChildren(el("caption", {}, t("sup.auditTitle")), head, el("tbody", {}, ...body));
    for (const l of lines) users.add(l.user);
    $("#audit-users").replaceChildren(...[...users].sort().map((u) => el("option", { value: u })));
  }

  async function show(event) {
    if (event) event.preventDefault();
    if (!$("#audit-day").value) $("#audit-day").value = today();
    const query = new URLSearchParams({ day: $("#audit-day").value });
    const user = $("#audit-user").value.trim();
    if (user) query.set("user", user);
    if ($("#audit-action").value) query.set("action", $("#audit-action").value);
    $("#audit-status").textContent = t("sup.loading");
    document.body.dataset.audit = "loading";
    try {
      const lines = await request(`/offices/${encodeURIComponent(office().id)}/audit?${query}`);
      render(lines);
      $("#audit-status").textContent = counted(lines.length);
      document.body.dataset.audit = "ready";
    } catch (e) {
      $("#audit-status").textContent = e.message;
      document.body.dataset.audit = "error";
    }
  }

  const counted = (n) => (n === 1 ? t("sup.auditOne") : t("sup.auditMany", { n }));

  function reset() {
    users.clear();
    $("#audit-table").replaceChildren();
    $("#audit-status").textContent = "";
  }

  $("#audit-filter").addEventListener("submit", show);
  return { show, reset };
}
