// Kiosk: choose a service, say whether preferential attention is needed, see the ticket
// (code, service, people ahead, wait, QR) while it prints. Touch only; it returns to the
// start by itself when nobody touches it. A kiosk paired by a supervisor (pairing.js)
// sends its device token with every turn; an office that issues only at kiosks shows the
// pairing form until then.
import { t, lang, current as currentLanguage, preferred, setLanguage } from "./i18n.js";
import { mountLanguageSwitch } from "./language-switch.js";
import { $, el, api, pathParam, formatter, nextOpeningText, LiveFeed, coalesce } from "./common.js";
import { pictograms, fallbackPictogram, serviceMark } from "./pictograms.js";
import * as pairing from "./pairing.js";
import * as sms from "./kiosk-sms.js";

const office = pathParam(1);
let paired = pairing.stored(office); // {kiosk, name, prints, token} or null
const IDLE_MS = 30000; // back to the start from the category screen
const TICKET_MS = 25000; // how long the ticket stays on screen
const REFRESH_MS = 30000;

let info = null; // GET /offices/{office}
let chosen = null; // the service chosen
let idleTimer = null;
let countdownTimer = null;
let busy = false;
let clockFormat = null;

function show(view) {
  const changed = document.body.dataset.view !== view;
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${view}`;
  document.body.dataset.view = view;
  // A new step takes the focus to its heading, so a screen reader reads it and a
  // keyboard goes on from there.
  if (changed) {
    const section = document.getElementById(`view-${view}`);
    const heading = section && ["h2", "[role=status]", "[role=alert]", "p"].map((q) => section.querySelector(q)).find(Boolean);
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }
  clearTimeout(idleTimer);
  clearInterval(countdownTimer);
  if (idles()) idleTimer = setTimeout(nextPerson, IDLE_MS);
}

function current() {
  return document.body.dataset.view;
}

/** Whether the screen goes back to the start by itself when nobody touches it: halfway
 * through, or at the start in a language other than the kiosk's own (the person who
 * chose it has gone). */
function idles() {
  const view = current();
  return view === "category" || view === "error" || (view === "start" && !!info && currentLanguage() !== ownLanguage());
}

/** Where every citizen starts: the kiosk's own `?lang=` when the office offers it, else
 * the office's own language. */
function ownLanguage() {
  const offered = info && Array.isArray(info.languages) ? info.languages : [];
  return preferred(offered, { saved: false });
}

/** Back to the start for the next person, in the office's own language whatever the
 * last one chose (after the ticket, or when nobody touches the screen). */
function nextPerson() {
  if (info && currentLanguage() !== ownLanguage()) return chooseLanguage(ownLanguage());
  reset();
}

function reset() {
  chosen = null;
  busy = false;
  if (!info) return show("busy");
  $("#pair-open").hidden = !!paired || info.ticketing === "kiosks";
  if (!paired && info.ticketing === "kiosks") return showPairing(false);
  if (!info.open_now) return renderClosed();
  renderServices();
  show("start");
}

function renderServices() {
  const buttons = info.services.map((s) =>
    el(
      "button",
      { type: "button", class: "service", dataset: { service: s.id }, onclick: () => chooseService(s) },
      serviceMark(s),
      el(
        "span",
        {},
        el("span", { class: "name" }, s.name),
        el(
          "span",
          { class: "meta" },
          el("span", { class: "line" }, t("kiosk.waiting", { people: capital(lang.people(s.people_ahead ?? s.waiting)) })),
          el("span", { class: "line" }, t("kiosk.expected", { wait: lang.waitText(s.estimated_wait_seconds) })),
        ),
      ),
    ),
  );
  if (!buttons.length) buttons.push(el("p", { class: "hint" }, t("kiosk.noServices")));
  $("#services").replaceChildren(...buttons);
}

const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function renderClosed() {
  $("#closed-title").textContent = t("kiosk.closed");
  $("#closed-text").textContent = nextOpeningText(info);
  show("closed");
}

function chooseService(service) {
  if (busy) return;
  chosen = service;
  const preferential = info.categories.filter((c) => c.preferential);
  if (!preferential.length) return issue(defaultCategory());
  $("#chosen-service").textContent = service.name;
  $("#categories").replaceChildren(
    ...preferential.map((c) => {
      const button = el("button", { type: "button", class: "choice", dataset: { category: c.id }, onclick: () => issue(c.id) });
      button.innerHTML = pictograms[c.id] || fallbackPictogram;
      button.append(el("span", {}, c.label));
      return button;
    }),
  );
  show("category");
}

function defaultCategory() {
  const general = info.categories.find((c) => !c.preferential);
  return general ? general.id : "general";
}

async function issue(category) {
  if (busy || !chosen) return;
  busy = true;
  show("busy");
  // The ticket, on screen, on paper and on the phone its QR opens, speaks the language
  // chosen here.
  const body = { service: chosen.id, category, language: currentLanguage() };
  try {
    const ticket = await api(`/offices/${encodeURIComponent(office)}/tickets`, {
      method: "POST",
      body,
      token: paired && paired.token,
    });
    renderTicket(ticket);
  } catch (error) {
    if (paired && ["device_token_invalid", "kiosk_mismatch"].includes(error.code)) {
      // Its token was withdrawn from the configuration: it must be paired again.
      pairing.forget(office);
      paired = null;
      showPairing(false, t("kiosk.unpaired"));
      return;
    }
    // A citizen is told what to do, never about networks or servers: the API's own
    // sentence for what they can act on (office closed, numbers used up), ours otherwise.
    const ours = error.status === 0 || error.status >= 500 || error.status === 401 || error.status === 403 || error.status === 429;
    $("#error-text").textContent = ours ? t("kiosk.unavailable") : error.message;
    show("error");
    refresh();
  } finally {
    busy = false;
  }
}

function renderTicket(ticket) {
  $("#ticket-label").textContent = t("kiosk.yourTurn");
  $("#ticket-code").textContent = ticket.code;
  $("#ticket-service").textContent = ticket.service_name;
  $("#ticket-category").replaceChildren(
    ticket.preferential ? el("span", { class: "badge pref" }, ticket.category_label || ticket.category) : "",
  );
  $("#ticket-ahead").textContent = ticket.position ?? "—";
  $("#ticket-wait").textContent = capital(lang.waitText(ticket.estimated_wait_seconds));
  $("#ticket-qr").src = `/api/v1/tickets/${encodeURIComponent(ticket.token)}/qr.svg?lang=${currentLanguage()}`;
  $("#ticket-qr").alt = t("kiosk.qr");
  const print = ticket.print;
  const status = $("#print-status");
  status.classList.toggle("failed", !!print && print.status === "failed");
  if (!print) status.textContent = t("kiosk.noPrinter");
  else if (print.status === "failed") status.textContent = t("kiosk.printFailed");
  else if (print.status === "printed") status.textContent = t("kiosk.printed");
  else status.textContent = t("kiosk.printing");
  show("ticket");
  document.body.dataset.ticket = ticket.code;
  let left = Math.round(TICKET_MS / 1000);
  sms.offer(ticket, info);
  const count = () => {
    // A citizen typing a number for the SMS is not sent back to the start.
    if (sms.typingNow()) left = Math.max(left, 10);
    $("#countdown").textContent = t("kiosk.backSoon", { seconds: left });
    if (left-- <= 0) nextPerson();
  };
  count();
  countdownTimer = setInterval(count, 1000);
  refresh();
}

async function refresh() {
  try {
    const asked = currentLanguage();
    const fresh = await api(`/offices/${encodeURIComponent(office)}`);
    // The names are in the language asked: after a switch meanwhile, its own answer counts.
    if (currentLanguage() !== asked) return;
    const first = !info;
    info = fresh;
    mountLanguageSwitch($("#languages"), info.languages || ["es"], chooseLanguage);
    if (first && currentLanguage() !== ownLanguage()) return chooseLanguage(ownLanguage());
    $("#office").textContent = info.name;
    document.title = t("kiosk.title", { office: info.name });
    if (!clockFormat) {
      clockFormat = formatter(info.timezone, { hour: "2-digit", minute: "2-digit", hour12: false });
      tick();
    }
    const view = current();
    if (first || (view === "busy" && !busy) || view === "closed" || (view === "start" && !info.open_now)) reset();
    else if (view === "start") renderServices();
    $("#conn").hidden = true;
  } catch (error) {
    if (error.status === 404) {
      $("#busy-text").textContent = t("error.office", { office });
      show("busy");
      return;
    }
    $("#conn").textContent = t("conn.offline");
    $("#conn").hidden = false;
  }
}

function showPairing(cancellable, problem) {
  $("#pair-text").textContent = t(info && info.ticketing === "open" ? "kiosk.pairTextOpen" : "kiosk.pairText");
  $("#pair-error").textContent = problem || "";
  $("#pair-error").hidden = !problem;
  $("#pair-cancel").hidden = !cancellable;
  $("#pair-open").hidden = true;
  $("#pair-token").value = "";
  show("pair");
  $("#pair-token").focus();
}

async function tryPairing(token, { quiet = false } = {}) {
  try {
    paired = await pairing.pair(office, token.trim());
    return true;
  } catch (error) {
    if (!quiet) {
      $("#pair-error").textContent = error.status === 403 ? t("kiosk.pairRefused") : error.message;
      $("#pair-error").hidden = false;
    }
    return false;
  }
}

function tick() {
  const f = clockFormat || formatter(undefined, { hour: "2-digit", minute: "2-digit", hour12: false });
  $("#clock").textContent = f.format(new Date());
}

/** Switches the kiosk to a language: its own texts at once, the office's names (and
 * waits) as soon as the server answers in it. */
async function chooseLanguage(code) {
  setLanguage(code);
  staticTexts();
  document.title = t("kiosk.title", { office: info ? info.name : "" });
  show("busy");
  await refresh();
  if (currentLanguage() === code && current() === "busy" && !busy) reset();
}

/** The texts of the page itself, in the current language. */
function staticTexts() {
  $("#welcome").textContent = t("kiosk.welcome");
  $("#start-title").textContent = t("kiosk.chooseService");
  $("#help").textContent = t("kiosk.help");
  $("#category-title").textContent = t("kiosk.preferentialQuestion");
  $("#category-hint").textContent = t("kiosk.preferentialHint");
  $("#no-preference .no-main").textContent = t("kiosk.no");
  $("#no-preference .no-sub").textContent = t("kiosk.noDetail");
  $("#back").textContent = t("kiosk.back");
  $("#ahead-label").textContent = t("kiosk.ahead");
  $("#wait-label").textContent = t("kiosk.expectedWait");
  $("#qr-caption").textContent = t("kiosk.qr");
  $("#done").textContent = t("kiosk.done");
  $("#error-back").textContent = t("kiosk.back");
  $("#busy-text").textContent = t("kiosk.issuing");
  $("#pair-title").textContent = t("kiosk.pairTitle");
  $("#pair-label").textContent = t("kiosk.pairLabel");
  $("#pair-submit").textContent = t("kiosk.pairSubmit");
  $("#pair-cancel").textContent = t("kiosk.pairCancel");
  $("#pair-open").textContent = t("kiosk.pairOpen");
  sms.texts();
}

function main() {
  sms.mount();
  staticTexts();
  $("#no-preference").addEventListener("click", () => issue(defaultCategory()));
  $("#back").addEventListener("click", reset);
  $("#done").addEventListener("click", nextPerson);
  $("#error-back").addEventListener("click", reset);
  $("#pair-cancel").addEventListener("click", reset);
  $("#pair-open").addEventListener("click", () => showPairing(true));
  $("#pair-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await tryPairing($("#pair-token").value)) reset();
  });
  // Any touch restarts the idle countdown of the category screen.
  window.addEventListener("pointerdown", () => {
    if (idles()) {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(nextPerson, IDLE_MS);
    }
  });
  window.addEventListener("contextmenu", (e) => e.preventDefault());
  show("busy");
  tick();
  setInterval(tick, 1000);
  const takeOffered = () => {
    const token = pairing.offered();
    const kept = pairing.stored(office);
    if (token && (!kept || kept.token !== token)) return tryPairing(token, { quiet: true }).then(refresh);
    return refresh();
  };
  takeOffered();
  // A pairing link opened on a kiosk already showing this page changes only the fragment.
  window.addEventListener("hashchange", () => takeOffered().then(() => info && reset()));
  setInterval(refresh, REFRESH_MS);
  // Waiting counts change with every turn: the display feed tells us when to refetch.
  const soon = coalesce(refresh, 1500);
  new LiveFeed(office, {
    onMessage: (msg) => msg.type !== "call" && soon(),
    onStatus: () => {},
  }).start();
}

main();
