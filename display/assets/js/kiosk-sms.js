// The kiosk's optional "Recibir aviso por SMS": on the ticket's screen, where the office
// sends SMS, the citizen may type a number on a keypad (the kiosk has no keyboard) and be
// told when the turn is near and when it is called. The screen's countdown waits while
// the keypad is open. The number goes to the server for this turn only (erased when the
// turn ends) and is cleared from the screen at once.
import { t } from "./i18n.js";
import { $, el, api } from "./common.js";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "0", "⌫"];
let token = null;
let number = "+";
let typing = false;

/** Whether the keypad is open (the screen must not go back to the start meanwhile). */
export function typingNow() {
  return typing;
}

function show() {
  $("#sms-number").textContent = number;
  $("#sms-send").disabled = number.replace(/\D/g, "").length < 8;
}

function press(key) {
  if (key === "⌫") number = number.length > 1 ? number.slice(0, -1) : "+";
  else if (key === "+") number = number.startsWith("+") ? number : `+${number}`;
  else if (number.length < 16) number += key;
  $("#sms-error").hidden = true;
  show();
}

function close() {
  typing = false;
  number = "+";
  $("#sms-pad").hidden = true;
  $("#sms-open").hidden = false;
}

async function send() {
  try {
    await api(`/tickets/${encodeURIComponent(token)}/notify`, { method: "POST", body: { phone: number } });
    const masked = number.length > 8 ? `${number.slice(0, 6)}•••${number.slice(-4)}` : "•••";
    close();
    $("#sms-open").hidden = true;
    $("#sms-done").textContent = t("kiosk.smsDone", { phone: masked });
    $("#sms-done").hidden = false;
  } catch (error) {
    $("#sms-error").textContent = error.message;
    $("#sms-error").hidden = false;
  }
}

/** Offers SMS for `ticket` when the office (`info`) sends them; hidden otherwise. */
export function offer(ticket, info) {
  close();
  token = ticket.token;
  const sms = !!(info && info.notifications && info.notifications.sms);
  $("#sms").hidden = !sms;
  $("#sms-done").hidden = true;
  $("#sms-open").hidden = !sms;
}

/** The texts, in the current language. */
export function texts() {
  $("#sms-open").textContent = t("kiosk.smsOffer");
  $("#sms-title").textContent = t("kiosk.smsTitle");
  $("#sms-cancel").textContent = t("kiosk.smsCancel");
  $("#sms-send").textContent = t("kiosk.smsSend");
}

/** Builds the keypad once. */
export function mount() {
  $("#sms-keys").replaceChildren(
    ...KEYS.map((key) =>
      el(
        "button",
        { type: "button", class: "key", dataset: { key }, "aria-label": key === "⌫" ? t("kiosk.smsErase") : key, onclick: () => press(key) },
        key,
      ),
    ),
  );
  $("#sms-open").addEventListener("click", () => {
    typing = true;
    $("#sms-open").hidden = true;
    $("#sms-pad").hidden = false;
    show();
  });
  $("#sms-cancel").addEventListener("click", close);
  $("#sms-send").addEventListener("click", send);
  texts();
}
