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

/** The "call a turn by its code" dialog: a call out of order needs one of the office's
 *  `reasons` ({id, label, note_required}) and, for some, a note; `code` is prefilled when
 *  the agent picked the turn from the waiting list. */
export function openCall(reasons, code = "") {
  $("#call-code").value = code;
  $("#call-reason").replaceChildren(
    el("option", { value: "" }, t("agent.callReasonPick")),
    ...reasons.map((r) => el("option", { value: r.id, dataset: { note: r.note_required ? "1" : "" } }, r.label)),
  );
  $("#call-note").value = "";
  $("#call-note").required = false;
  $("#dlg-call").showModal();
  (code ? $("#call-reason") : $("#call-code")).focus();
}

/** The call dialog's answer, `{code, reason, note}`, or null while something required is
 *  missing (the browser then says what). */
export function callAnswer() {
  const picked = $("#call-reason").selectedOptions[0];
  $("#call-note").required = Boolean(picked && picked.dataset.note);
  if (!$("#call-form").reportValidity()) return null;
  const note = $("#call-note").value.trim();
  return { code: normalizeCode($("#call-code").value), reason: $("#call-reason").value, ...(note ? { note } : {}) };
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
