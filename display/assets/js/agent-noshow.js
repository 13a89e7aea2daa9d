// "No se presentó" at the console: asked for confirmation (it closes the turn), and for a
// minute after it an undo, for the citizen who turns up just then or a slip of the
// finger. The server keeps the rule (recalls first, one minute to undo); this only asks
// and offers.
import { t } from "./i18n.js";
import { $ } from "./common.js";

const UNDO_MS = 60000;
let undoTimer = null;

/** Asks whether `ticket` really did not come; resolves true when confirmed. */
export function confirmNoShow(ticket) {
  const dialog = $("#dlg-noshow");
  $("#noshow-title").textContent = t("agent.noShowTitle", { code: ticket.code });
  $("#noshow-text").textContent = t("agent.noShowText");
  dialog.querySelector(".confirm-btn").textContent = t("agent.noShowConfirm");
  dialog.querySelector(".cancel-btn").textContent = t("agent.cancel");
  dialog.returnValue = "";
  dialog.showModal();
  // The safe answer has the focus: Enter does not close a turn by accident.
  dialog.querySelector(".cancel-btn").focus();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), { once: true });
  });
}

/** Offers, for a minute, to take back the no-show of `ticket` (`undo` does it). */
export function offerUndo(ticket, undo) {
  hideUndo();
  $("#undo-text").textContent = t("agent.noShowDone", { code: ticket.code });
  const button = $("#undo-noshow");
  button.textContent = t("agent.undo");
  button.onclick = () => {
    hideUndo();
    undo();
  };
  $("#undo-bar").hidden = false;
  button.focus();
  undoTimer = setTimeout(hideUndo, UNDO_MS);
}

/** Withdraws the offer (time is up, or the counter moved on). */
export function hideUndo() {
  clearTimeout(undoTimer);
  $("#undo-bar").hidden = true;
}
