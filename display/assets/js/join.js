// Joining from the door: what a QR poster at the entrance (or the lobby screen's QR)
// opens. The kiosk's steps on the citizen's own phone — the service, the preferential
// question — and the ticket is the phone page, without paper. Where the office asks for
// the lobby's code (`join = "lobby"`) the screen's QR brings it in the address; typed
// otherwise. Where anyone may join (`anywhere`) the citizen gives a phone number.
import { t, lang, current, preferred, setLanguage } from "./i18n.js";
import { mountLanguageSwitch } from "./language-switch.js";
import { $, el, api, pathParam, nextOpeningText } from "./common.js";
import { pictograms, fallbackPictogram, serviceMark } from "./pictograms.js";

const office = pathParam(1);
const address = new URL(location.href);
let info = null; // GET /offices/{office}
let chosen = null; // the service
let category = null;
let busy = false;

function show(view) {
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${view}`;
  document.body.dataset.view = view;
  const section = document.getElementById(`view-${view}`);
  const heading = section && ["h1", "p"].map((q) => section.querySelector(q)).find(Boolean);
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** The lobby's code this page was opened with (the screen's QR carries it). */
function codeInAddress() {
  const code = (address.searchParams.get("code") || "").trim();
  return /^[A-Za-z0-9 -]{4,12}$/.test(code) ? code : "";
}

async function load() {
  try {
    info = await api(`/offices/${encodeURIComponent(office)}`);
  } catch (error) {
    $("#error-text").textContent = error.status === 404 ? t("join.noOffice") : error.message;
    $("#error-back").hidden = true;
    return show("error");
  }
  $("#office").textContent = info.name;
  document.title = t("join.title", { office: info.name });
  const offered = Array.isArray(info.languages) && info.languages.length ? info.languages : ["es"];
  mountLanguageSwitch($("#languages"), offered, (code) => switchTo(code, true));
  const wanted = preferred(offered, { saved: true, savedFirst: true });
  if (wanted !== current()) return switchTo(wanted, false);
  start();
}

function start() {
  chosen = null;
  category = null;
  if (info.join === "off") {
    $("#closed-title").textContent = t("join.offTitle");
    $("#closed-text").textContent = t("join.offText");
    return show("closed");
  }
  if (!info.open_now) {
    $("#closed-title").textContent = t("kiosk.closed");
    $("#closed-text").textContent = nextOpeningText(info);
    return show("closed");
  }
  const buttons = info.services.map((s) => {
    const mark = serviceMark(s);
    return el(
      "button",
      { type: "button", class: "join-service", dataset: { service: s.id }, onclick: () => chooseService(s) },
      mark,
      el(
        "span",
        {},
        el("span", { class: "name" }, s.name),
        el("span", { class: "meta" }, t("kiosk.waiting", { people: capital(lang.people(s.people_ahead ?? s.waiting)) })),
        el("span", { class: "meta" }, t("kiosk.expected", { wait: lang.waitText(s.estimated_wait_seconds) })),
      ),
    );
  });
  if (!buttons.length) buttons.push(el("p", { class: "hint" }, t("kiosk.noServices")));
  $("#services").replaceChildren(...buttons);
  show("services");
}

function chooseService(service) {
  chosen = service;
  const preferential = info.categories.filter((c) => c.preferential);
  if (!preferential.length) return chooseCategory(generalCategory());
  $("#chosen-service").textContent = service.name;
  $("#categories").replaceChildren(
    ...preferential.map((c) => {
      const button = el("button", { type: "button", class: "join-category", dataset: { category: c.id }, onclick: () => chooseCategory(c.id) });
      button.innerHTML = pictograms[c.id] || fallbackPictogram;
      button.append(el("span", {}, c.label));
      return button;
    }),
  );
  show("category");
}

function generalCategory() {
  const general = info.categories.find((c) => !c.preferential);
  return general ? general.id : "general";
}

/** The proof the office asks for: the lobby's code (unless the address brought it) or a
 * phone number. */
function chooseCategory(id) {
  category = id;
  const needsCode = info.join === "lobby" && !codeInAddress();
  const needsPhone = info.join === "anywhere";
  if (!needsCode && !needsPhone) return issue();
  askProof(needsCode, needsPhone, null);
}

function askProof(needsCode, needsPhone, problem) {
  $("#proof-chosen").textContent = chosen.name;
  $("#code-field").hidden = !needsCode;
  $("#phone-field").hidden = !needsPhone;
  $("#proof-title").textContent = needsCode ? t("join.codeTitle") : t("join.phoneTitle");
  $("#proof-error").textContent = problem || "";
  $("#proof-error").hidden = !problem;
  show("proof");
  const input = needsCode ? $("#join-code") : $("#phone");
  if (problem) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
  input.setAttribute("aria-describedby", problem ? "proof-error" : needsCode ? "code-hint" : "phone-hint");
}

async function issue() {
  if (busy || !chosen) return;
  busy = true;
  show("busy");
  const body = { service: chosen.id, category, language: current() };
  if (info.join === "lobby") body.join_code = $("#code-field").hidden ? codeInAddress() : $("#join-code").value.trim();
  if (info.join === "anywhere") body.phone = $("#phone").value.replace(/[\s().-]/g, "");
  try {
    const ticket = await api(`/offices/${encodeURIComponent(office)}/tickets`, { method: "POST", body });
    // The ticket is the phone page: the same one a printed ticket's QR opens.
    location.replace(`/t/${encodeURIComponent(ticket.token)}?lang=${current()}`);
  } catch (error) {
    busy = false;
    if (error.code === "join_code_invalid") {
      // An old code (the screen changed): the citizen types the one shown now.
      address.searchParams.delete("code");
      history.replaceState(null, "", address);
      return askProof(true, false, error.message);
    }
    if (error.code === "phone_required" || error.code === "phone_invalid") return askProof(false, true, error.message);
    $("#error-text").textContent = error.status === 0 || error.status >= 500 ? t("kiosk.unavailable") : error.message;
    $("#error-back").hidden = false;
    show("error");
  }
}

/** Moves the page to a language, keeping it in the address for a reload. */
function switchTo(code, save) {
  setLanguage(code, { save });
  address.searchParams.set("lang", code);
  history.replaceState(null, "", address);
  staticTexts();
  // Names come from the API in the language asked for.
  load();
}

function staticTexts() {
  $("#services-title").textContent = t("kiosk.chooseService");
  $("#category-title").textContent = t("kiosk.preferentialQuestion");
  $("#category-hint").textContent = t("kiosk.preferentialHint");
  $("#no-preference").textContent = `${t("kiosk.no")}: ${t("kiosk.noDetail")}`;
  $("#back").textContent = t("kiosk.back");
  $("#proof-back").textContent = t("kiosk.back");
  $("#error-back").textContent = t("kiosk.back");
  $("#busy-text").textContent = t("kiosk.issuing");
  $("#code-label").textContent = t("join.codeLabel");
  $("#code-hint").textContent = t("join.codeHint");
  $("#phone-label").textContent = t("join.phoneLabel");
  $("#phone-hint").textContent = t("join.phoneHint");
  $("#proof-submit").textContent = t("join.submit");
}

function main() {
  staticTexts();
  $("#no-preference").addEventListener("click", () => chooseCategory(generalCategory()));
  $("#back").addEventListener("click", start);
  $("#proof-back").addEventListener("click", start);
  $("#error-back").addEventListener("click", start);
  $("#proof-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!$("#code-field").hidden && !$("#join-code").value.trim()) return askProof(true, false, t("join.codeMissing"));
    if (!$("#phone-field").hidden && !$("#phone").value.trim()) return askProof(false, true, t("join.phoneMissing"));
    issue();
  });
  show("busy");
  load();
}

main();
