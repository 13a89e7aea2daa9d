// The report's range form, shared by the supervisor's dashboard and the organisation's
// page: "Mostrar" fetches the report JSON of the chosen days and draws it into #report,
// "CSV" downloads the same figures. The page says where the report lives (`path`), whose
// token to send, and what to do when the session has ended.
import { t } from "./i18n.js";
import { $, el } from "./common.js";
import { renderReport } from "./supervisor-report.js";

/**
 * Wires #range (with #from, #to, #show-report, #csv, #range-status) to a report.
 * `path()` is the report's API path (under /api/v1), `name()` names the CSV file,
 * `request(path)` fetches JSON with the session, `token()` is the session's token and
 * `ended()` is called when the server refuses it. Returns `show`, to draw on demand.
 */
export function mountRange({ path, name, request, token, ended }) {
  $("#from-label").textContent = t("sup.from");
  $("#to-label").textContent = t("sup.to");
  $("#show-report").textContent = t("sup.show");
  $("#csv").textContent = t("sup.csv");

  const range = () => {
    const from = $("#from").value;
    const to = $("#to").value;
    if (!from || !to) $("#range-status").textContent = t("sup.badRange");
    return from && to ? { from, to } : null;
  };

  async function show(event) {
    if (event) event.preventDefault();
    // Both days empty on the first drawing: the server's today (the office's, not this
    // browser's zone), then shown in the form.
    const first = !event && !$("#from").value && !$("#to").value;
    const days = first ? null : range();
    if (!first && !days) return;
    $("#range-status").textContent = t("sup.loading");
    document.body.dataset.report = "loading";
    try {
      const report = await request(days ? `${path()}?from=${days.from}&to=${days.to}` : path());
      if (first) {
        $("#from").value = report.from;
        $("#to").value = report.to;
      }
      $("#range-status").textContent = "";
      renderReport(report, report.from, report.to);
      document.body.dataset.report = "ready";
    } catch (e) {
      $("#range-status").textContent = "";
      $("#report").replaceChildren(el("p", { class: "notice error" }, e.message));
      document.body.dataset.report = "error";
    }
  }

  async function downloadCsv() {
    const days = range();
    if (!days) return;
    $("#range-status").textContent = t("sup.loading");
    try {
      const response = await fetch(`/api/v1${path()}?from=${days.from}&to=${days.to}&format=csv`, {
        headers: { Authorization: `Bearer ${token()}` },
        cache: "no-store",
      });
      if (!response.ok) {
        let message = t("error.generic");
        try {
          message = (await response.json()).error.message || message;
        } catch {
          /* not JSON */
        }
        if (response.status === 401) ended();
        throw new Error(message);
      }
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = el("a", { href: url, download: `informe-${name()}-${days.from}_${days.to}.csv` });
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

  $("#range").addEventListener("submit", show);
  $("#csv").addEventListener("click", downloadCsv);
  return { show };
}
