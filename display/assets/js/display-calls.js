// The calls on the lobby display: the newest very large (#now), the one made just
// before it still prominent for a few seconds (#also, "También llamado"), then the last
// calls (#history); and each call written, one after another, into a live region for
// screen readers. Lists are bounded; nothing grows per message.
import { t } from "./i18n.js";
import { $, el } from "./common.js";

const HISTORY = 6; // rows under the current call
const KEEP = 12; // calls kept in memory
const LIVE_KEEP = 6; // entries kept in the live region
// A call followed by another within this time stays on the "also" card this long, so
// that two calls made together are both seen.
export const ALSO_MS = 10000;
const FADE_MS = 900;

let calls = []; // latest first
let also = null; // {call, until}
let alsoTimer = null;
let freshTimer = null;
let serviceNames = {};

export function callKey(c) {
  return `${c.code}|${c.counter}|${c.at}|${c.recall ? 1 : 0}`;
}

export function setServiceNames(names) {
  serviceNames = names;
}

/** Service names by id, as the office lists them. */
export const names = () => serviceNames;

/** The calls known, latest first. */
export function known() {
  return calls;
}

const where = (c) => c.counter_name || c.counter;

export function renderNow() {
  const now = $("#now");
  const c = calls[0];
  now.classList.toggle("empty", !c);
  if (!c) {
    $("#now-label").textContent = t("display.empty");
    $("#now-code").textContent = "";
    $("#now-go").textContent = "";
    $("#now-counter").textContent = "";
    $("#now-service").textContent = t("display.emptyHint");
    delete now.dataset.code;
    return;
  }
  $("#now-label").replaceChildren(
    c.recall ? t("display.recall") : t("display.turn"),
    c.preferential ? el("span", { class: "badge pref" }, t("display.preferential")) : "",
  );
  $("#now-code").textContent = c.code;
  $("#now-go").textContent = t("display.goTo");
  $("#now-counter").textContent = where(c);
  // A long name is set smaller so that both of its lines stay on the card.
  $("#now-counter").classList.toggle("long", where(c).length > 14);
  // The names the screen fetched in its own language first; the feed's are the office's own.
  $("#now-service").textContent = serviceNames[c.service] || c.service_name || "";
  now.dataset.code = c.code;
}

function renderAlso() {
  const card = $("#also");
  const c = also && also.call;
  clearTimeout(alsoTimer);
  card.classList.remove("leaving");
  if (!c) {
    card.hidden = true;
    delete card.dataset.code;
    return;
  }
  $("#also-code").textContent = c.code;
  $("#also-counter").textContent = where(c);
  card.dataset.code = c.code;
  card.hidden = false;
  const left = also.until - Date.now();
  // It fades, then goes back into the history.
  alsoTimer = setTimeout(() => {
    card.classList.add("leaving");
    alsoTimer = setTimeout(() => {
      also = null;
      renderAlso();
      renderHistory();
    }, FADE_MS);
  }, Math.max(0, left - FADE_MS));
}

export function renderHistory() {
  // One row per turn (a recall does not repeat a row), the calls on the cards excluded.
  const seen = new Set([calls[0], also && also.call].filter(Boolean).map((c) => c.code));
  const rows = [];
  for (const c of calls.slice(1)) {
    if (seen.has(c.code)) continue;
    seen.add(c.code);
    rows.push(el("li", {}, el("span", { class: "code" }, c.code), el("span", { class: "where" }, where(c))));
    if (rows.length === HISTORY) break;
  }
  if (!rows.length && !also) rows.push(el("li", { class: "hint" }, t("display.historyEmpty")));
  $("#history").replaceChildren(...rows);
  trimHistory();
}

/** Shows only the rows that fit whole: a half-cut row is worse than one row fewer. */
export function trimHistory() {
  const list = $("#history");
  for (const row of list.children) row.hidden = false;
  const bottom = list.getBoundingClientRect().bottom + 1;
  let full = false;
  for (const row of list.children) {
    full = full || row.getBoundingClientRect().bottom > bottom;
    row.hidden = full;
  }
}

function highlight() {
  const now = $("#now");
  now.classList.remove("fresh");
  void now.offsetWidth; // restart the animation
  now.classList.add("fresh");
  now.dataset.shownAt = String(Date.now());
  clearTimeout(freshTimer);
  freshTimer = setTimeout(() => now.classList.remove("fresh"), 8000);
}

/** Writes a call into the live region, after the ones before it, so that a screen reader
 * says every call and not only the last. */
export function liveLog(sentences) {
  const log = $("#announce");
  log.append(el("p", {}, ...sentences.map((s, i) => el("span", { lang: s.code }, (i ? " " : "") + s.text))));
  while (log.children.length > LIVE_KEEP) log.firstElementChild.remove();
}

// The call on the main card moves to the "also" card when the new one comes soon after
// it (and is not the same turn called again).
function demote(previous, call, shownAt) {
  if (!previous || previous.code === call.code) return;
  if (Date.now() - shownAt > ALSO_MS) return;
  also = { call: previous, until: Date.now() + ALSO_MS };
}

/** A new call: shown at once, highlighted; the caller announces it. */
export function addCall(call) {
  const previous = calls[0];
  const shownAt = Number($("#now").dataset.shownAt || 0);
  calls = [call, ...calls].slice(0, KEEP);
  if (also && also.call.code === call.code) also = null;
  demote(previous, call, shownAt);
  renderNow();
  renderAlso();
  renderHistory();
  highlight();
}

/**
 * A snapshot: the calls as the server has them. Returns the calls this screen had not
 * seen (made while it was disconnected, at most 3, oldest first) for announcing; none on
 * the first snapshot.
 */
export function takeSnapshot(incoming, first) {
  const seen = new Set(calls.map(callKey));
  const missed = first ? [] : incoming.filter((c) => !seen.has(callKey(c))).slice(0, 3);
  calls = incoming.slice(0, KEEP);
  also = missed.length > 1 && missed[1].code !== missed[0].code ? { call: missed[1], until: Date.now() + ALSO_MS } : null;
  renderNow();
  renderAlso();
  renderHistory();
  if (missed.length) highlight();
  return missed.reverse();
}
