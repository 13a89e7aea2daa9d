// The supervisor's line about the citizens' SMS: shown only while the office's gateway is
// failing (since when, what it answered, how many messages wait), so a supervisor learns
// that citizens are not being told before they come to complain. Asked every 30 s.
import { t } from "./i18n.js";
import { $, formatter } from "./common.js";

const EVERY_MS = 30000;
let timer = null;

/** Follows the gateway of `office` (its JSON, with `notifications`), asking through
 * `authed` (the dashboard's signed-in API call). */
export function followGateway(office, authed) {
  stopGateway();
  const line = $("#sms-status");
  if (!office.notifications || !office.notifications.sms) return;
  const ask = async () => {
    try {
      const status = await authed(`/offices/${encodeURIComponent(office.id)}/notifications`);
      if (status.gateway !== "failing") {
        line.hidden = true;
        return;
      }
      const since = status.failing_since
        ? formatter(office.timezone, { hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(status.failing_since))
        : "—";
      line.textContent = t("sup.smsFailing", {
        since,
        error: status.last_error || "—",
        pending: status.pending ?? 0,
        failed: status.failed_today ?? 0,
      });
      line.hidden = false;
    } catch {
      // The dashboard says when it is offline; this line only tells what it knows.
    }
  };
  ask();
  timer = setInterval(ask, EVERY_MS);
}

/** Stops following (another office, or signed out). */
export function stopGateway() {
  clearInterval(timer);
  timer = null;
  const line = $("#sms-status");
  if (line) line.hidden = true;
}
