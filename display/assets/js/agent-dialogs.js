// The agent console's dialogs: transfer to another service, call a turn by its code,
// pause with a reason. They only ask; the console acts on the answer.
import { t } from "./i18n.js";
import { $, el } from "./common.js";

/** The transfer dialog for `ticket`: one button per other service, each calling
 *  `act("transfer", {service})`. */
export function openTransfer(ticket, services, act) {
  if (!ticket) return;
  $("#transfer-title").textContent = t("agent.transferTo", { code: ticket.code });
  $("#transfer-list").replaceChildren(
    ...services
      .filter((s) => s.id !== ticket.service)
      .map((s) =>
        el("button", {
          type: "button", class: "btn", dataset: { service: s.id },
          onclick: () => { $("#dlg-transfer").close(); act("transfer", { service: s.id }); },
        }, s.name),
      ),
  );
  $("#dlg-transfer").showModal();
}

/** The "call a turn by its code" dialog. */
export function openCall() {
  $("#call-code").value = "";
  $("#dlg-call").showModal();
  $("#call-code").focus();
}

/** `a 7` → `A-007`: what an agent types, as codes are written. */
export function normalizeCode(raw) {
  const m = /^([A-Za-zÑñ]+)\s*-?\s*(\d+)$/.exec(raw.trim());
  return m ? `${m[1].toUpperCase()}-${m[2].padStart(3, "0")}` : raw.trim().toUpperCase();
}

/** The pause dialog with the office's usual reasons. */
export function openPause() {
  const reasons = t("agent.pauseReasons");
  $("#pause-reasons").replaceChildren(
    el("legend", { class: "sr-only" }, t("agent.pauseReason")),
    ...reasons.map((r, i) =>
      el("label", {}, el("input", { type: "radio", name: "reason", value: r, checked: i === 0 ? true : null }), r),
    ),
  );
  $("#pause-other").value = "";
  $("#dlg-pause").showModal();
  $('#pause-reasons input').focus();
}
