// The language of the screens: one pack per language under ../i18n/ (es.js, en.js, the
// same keys and functions; check.mjs keeps them in step). A page starts in the language
// its <html> says — `data-language="chosen"` (staff screens: `?lang=`, else an earlier
// choice on this device), `"citizen"` (the phone: the choice made on it with its switch,
// else the kiosk's, `?lang=` in the QR's address; kept apart from the staff's),
// `"browser"` (the demo's front page: the browser's own as well), else its `lang` (kiosk
// and lobby, which then follow the office) — and moves with setLanguage();
// every text set through t() or data-t follows, and the API is asked in the same language.
import es from "../i18n/es.js";
import en from "../i18n/en.js";

const packs = { es, en };
// The citizen's page keeps its choice apart, so a phone's switch never moves the staff
// screens opened in the same browser, nor the other way round.
const SAVED = document.documentElement.dataset.language === "citizen" ? "turnero.language.citizen" : "turnero.language";
const listeners = new Set();
let pack = packs[initialCode()] || es;
document.documentElement.lang = pack.code;
// Module scripts run once the page is parsed: its own texts can be filled now.
applyTexts();

/** The current pack: its code, texts and functions (waitText, spokenCall…). */
export let lang = pack;

/** The text for a key, with `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = pack.strings[key];
  if (text === undefined) return key;
  if (typeof text !== "string") return text;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** The pack of a language code ("es", "en"), Spanish when there is none for it. */
export function packFor(code) {
  return packs[code] || es;
}

/** The code of the current language ("es"). */
export function current() {
  return pack.code;
}

/** Whether the screens have a pack for a code. */
export function known(code) {
  return Object.prototype.hasOwnProperty.call(packs, code);
}

/**
 * The language a page should start in, among `offered` codes (every pack by default):
 * `?lang=` in its address, then the one kept from an earlier choice (when `saved`; before
 * the address when `savedFirst`), then the browser's own (when `browser`), else the first
 * offered.
 */
export function preferred(offered = Object.keys(packs), { saved = true, browser = false, savedFirst = false } = {}) {
  const ok = (code) => !!code && known(code) && offered.includes(code);
  const asked = new URLSearchParams(location.search).get("lang");
  const kept = saved ? readSaved() : null;
  if (savedFirst && ok(kept)) return kept;
  if (ok(asked)) return asked;
  if (ok(kept)) return kept;
  if (browser) {
    for (const tag of navigator.languages || [navigator.language || ""]) {
      const code = String(tag).split(/[-_]/)[0].toLowerCase();
      if (ok(code)) return code;
    }
  }
  return offered.find(known) || "es";
}

/** Switches the page to a language: texts marked data-t, <html lang>, and whoever listens. */
export function setLanguage(code, { save = false } = {}) {
  if (!known(code)) return;
  const changed = code !== pack.code;
  pack = packs[code];
  lang = pack;
  document.documentElement.lang = code;
  if (save) {
    try {
      localStorage.setItem(SAVED, code);
    } catch {
      // A private window may refuse storage: the choice lasts for this page only.
    }
  }
  applyTexts();
  if (changed) for (const listener of listeners) listener(code);
}

/** Calls `listener(code)` after every change of language. */
export function onLanguageChange(listener) {
  listeners.add(listener);
}

/**
 * Fills the texts written in the page itself: `data-t="key"` sets the text,
 * `data-t-aria-label`, `data-t-title`, `data-t-alt` and `data-t-placeholder` the attribute.
 */
export function applyTexts(root = document) {
  for (const node of root.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const attr of ["aria-label", "title", "alt", "placeholder"]) {
    for (const node of root.querySelectorAll(`[data-t-${attr}]`)) node.setAttribute(attr, t(node.getAttribute(`data-t-${attr}`)));
  }
}

function initialCode() {
  const root = document.documentElement;
  if (root.dataset.language === "browser") return preferred(undefined, { browser: true });
  if (root.dataset.language === "chosen") return preferred(undefined, { saved: true });
  if (root.dataset.language === "citizen") return preferred(undefined, { saved: true, savedFirst: true });
  return root.lang;
}

function readSaved() {
  try {
    return localStorage.getItem(SAVED);
  } catch {
    return null;
  }
}
