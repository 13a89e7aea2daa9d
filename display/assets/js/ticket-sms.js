// The phone page's "Avisarme por SMS": where the office sends SMS through its gateway, a
// citizen may leave a number for this turn — told when it is near and when it is called —
// and take it back. The server erases it when the turn ends; this phone keeps only the
// number masked, to say where the messages go. Nothing is asked on load.
import { t } from "./i18n.js";
import { $, api } from "./common.js";

let token = null;
let offered = false;
let active = false;
const key = () => `turnero.sms.${token}`;

/** The number as the page shows it: its start and its last four digits. */
function mask(phone) {
  return phone.length <= 8 ? "•••" : `${phone.slice(0, 6)}•••${phone.slice(-4)}`;
}

function left() {
  try {
    return localStorage.getItem(key());
  } catch {
    return null;
  }
}

function remember(masked) {
  try {
    if (masked) localStorage.setItem(key(), masked);
    else localStorage.removeItem(key());
  } catch {
    // A private window keeps nothing: the section forgets after a reload, the server not.
  }
}

function update() {
  const section = $("#sms");
  section.hidden = !(offered && active);
  const masked = left();
  $("#sms-open").hidden = !!masked || !$("#sms-form").hidden;
  $("#sms-done").hidden = !masked;
  $("#sms-forget").hidden = !masked;
  if (masked) $("#sms-done").textContent = t("ticket.smsOn", { phone: masked });
}

function problem(message) {
  $("#sms-error").textContent = message || "";
  $("#sms-error").hidden = !message;
  const input = $("#sms-phone");
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

async function submit(event) {
  event.preventDefault();
  const phone = $("#sms-phone").value.replace(/[\s().-]/g, "");
  if (!phone) return problem(t("ticket.smsMissing"));
  try {
    await api(`/tickets/${encodeURIComponent(token)}/notify`, { method: "POST", body: { phone } });
    remember(mask(phone));
    $("#sms-form").hidden = true;
    $("#sms-phone").value = "";
    problem(null);
    update();
    $("#sms-done").focus();
  } catch (error) {
    problem(error.message);
    $("#sms-phone").focus();
  }
}

async function forget() {
  try {
    await api(`/tickets/${encodeURIComponent(token)}/notify`, { method: "POST", body: { phone: null } });
  } catch (error) {
    // Already ended (the number is gone with the turn) or another trouble: say it.
    if (error.code !== "ticket_closed") {
      problem(error.message);
      return;
    }
  }
  remember(null);
  update();
  $("#sms-open").focus();
}

/** The texts, in the current language. */
export function texts() {
  $("#sms-open").textContent = t("ticket.smsButton");
  $("#sms-label").textContent = t("ticket.smsLabel");
  $("#sms-hint").textContent = t("ticket.smsHint");
  $("#sms-submit").textContent = t("ticket.smsSubmit");
  $("#sms-forget").textContent = t("ticket.smsForget");
  update();
}

/** Wires the section for the turn `turnToken`. */
export function mount(turnToken) {
  token = turnToken;
  $("#sms-done").tabIndex = -1;
  $("#sms-open").addEventListener("click", () => {
    $("#sms-form").hidden = false;
    update();
    $("#sms-phone").focus();
  });
  $("#sms-form").addEventListener("submit", submit);
  $("#sms-forget").addEventListener("click", forget);
  texts();
}

/** The office answered: whether it sends SMS. */
export function officeKnown(office) {
  offered = !!(office && office.notifications && office.notifications.sms);
  update();
}

/** The turn changed: the section is for turns still to be called or being called. */
export function turnIs(status) {
  active = status === "waiting" || status === "called";
  if (!active && status) remember(null);
  update();
}
