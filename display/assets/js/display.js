// Lobby display: the call just made, very large, the last calls beneath, waiting counts,
// office name, date and clock. Live through the display WebSocket; every reconnection
// resyncs from the snapshot. Lists are bounded and nothing is added per message, so the
// page can run for weeks.
import { t, lang } from "./i18n.js";
import { $, el, api, pathParam, formatter, LiveFeed } from "./common.js";
import { Announcer } from "./audio.js";

const office = pathParam(1);
const params = new URLSearchParams(location.search);
const services = (params.get("services") || "").trim();
const HISTORY = 6; // rows under the current call
const KEEP = 12; // calls kept in memory

let calls = []; // latest first
let serviceNames = {};
let timeZone;
let firstSnapshot = true;
let freshTimer = null;

const announcer = new Announcer({ onLockChange: showSoundHint });

function callKey(c) {
  return `${c.code}|${c.counter}|${c.at}|${c.recall ? 1 : 0}`;
}

function renderNow() {
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
  const where = c.counter_name || c.counter;
  $("#now-counter").textContent = where;
  // A long name is set smaller so that both of its lines stay on the card.
  $("#now-counter").classList.toggle("long", where.length > 14);
  $("#now-service").textContent = c.service_name || serviceNames[c.service] || "";
  now.dataset.code = c.code;
}

function renderHistory() {
  // One row per turn (a recall does not repeat a row), the current call excluded.
  const seen = new Set(calls[0] ? [calls[0].code] : []);
  const rows = [];
  for (const c of calls.slice(1)) {
    if (seen.has(c.code)) continue;
    seen.add(c.code);
    rows.push(el("li", {}, el("span", { class: "code" }, c.code), el("span", { class: "where" }, c.counter_name || c.counter)));
    if (rows.length === HISTORY) break;
  }
  if (!rows.length) rows.push(el("li", { class: "hint" }, t("display.historyEmpty")));
  $("#history").replaceChildren(...rows);
  trimHistory();
}

// Shows only the rows that fit whole: a half-cut row is worse than one row fewer.
function trimHistory() {
  const list = $("#history");
  for (const row of list.children) row.hidden = false;
  const bottom = list.getBoundingClientRect().bottom + 1;
  let full = false;
  for (const row of list.children) {
    full = full || row.getBoundingClientRect().bottom > bottom;
    row.hidden = full;
  }
}

function renderWaiting(waiting) {
  $("#waiting").replaceChildren(
    ...waiting.map((w) => el("li", {}, serviceNames[w.service] || w.service, el("b", {}, String(w.count)))),
  );
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

function announce(call) {
  const sentence = lang.spokenCall(call);
  $("#announce").textContent = sentence;
  announcer.announce(sentence);
}

function onCall(call) {
  calls = [call, ...calls].slice(0, KEEP);
  renderNow();
  renderHistory();
  highlight();
  announce(call);
}

function onSnapshot(msg) {
  if (msg.office_name) setOfficeName(msg.office_name);
  const incoming = (msg.calls || []).slice(0, KEEP);
  // Calls made while this screen was disconnected are shown and announced (at most 3).
  const known = new Set(calls.map(callKey));
  const missed = firstSnapshot ? [] : incoming.filter((c) => !known.has(callKey(c))).slice(0, 3);
  firstSnapshot = false;
  calls = incoming;
  renderNow();
  renderHistory();
  if (missed.length) {
    highlight();
    missed.reverse().forEach(announce);
  }
  renderWaiting(msg.waiting || []);
}

function setOfficeName(name) {
  $("#office").textContent = name;
  document.title = t("display.title", { office: name });
}

const dateFormat = () => formatter(timeZone, { weekday: "long", day: "numeric", month: "long" });
const timeFormat = () => formatter(timeZone, { hour: "2-digit", minute: "2-digit", hour12: false });
let formats = null;
function tick() {
  if (!formats) formats = [dateFormat(), timeFormat()];
  const now = new Date();
  const date = formats[0].format(now);
  $("#date").textContent = date.charAt(0).toUpperCase() + date.slice(1);
  $("#clock").textContent = formats[1].format(now);
}

function showConnection(online, retryMs) {
  const conn = $("#conn");
  conn.hidden = online;
  if (!online) conn.textContent = retryMs > 1500 ? t("conn.retry", { seconds: Math.round(retryMs / 1000) }) : t("conn.offline");
}

function showSoundHint(locked) {
  $("#sound").hidden = !locked;
}

async function loadOffice(attempt = 0) {
  try {
    const info = await api(`/offices/${encodeURIComponent(office)}`);
    setOfficeName(info.name);
    serviceNames = Object.fromEntries(info.services.map((s) => [s.id, s.name]));
    timeZone = info.timezone;
    formats = null;
    // The office's own announcement line, unless this screen was given one (aviso=).
    if (!(params.get("aviso") || "").trim()) {
      $("#aviso").textContent = info.display_notice || "";
      $("#aviso").hidden = !info.display_notice;
    }
    tick();
    renderNow();
    return true;
  } catch (error) {
    if (error.status === 404) {
      $("#now-label").textContent = "";
      $("#now-service").textContent = t("error.office", { office });
      return false;
    }
    setTimeout(() => loadOffice(attempt + 1), Math.min(30000, 1000 * 2 ** attempt));
    return true;
  }
}

async function main() {
  const aviso = (params.get("aviso") || "").trim();
  if (aviso) {
    $("#aviso").textContent = aviso;
    $("#aviso").hidden = false;
  }
  $("#sound-text").textContent = t("display.sound");
  $("#history-title").textContent = t("display.history");
  $("#waiting-title").textContent = t("display.waiting");
  renderNow();
  renderHistory();
  tick();
  setInterval(tick, 1000);
  window.addEventListener("resize", trimHistory);
  const unlock = () => {
    announcer.unlock();
    // Checked again shortly: resume() is asynchronous.
    setTimeout(() => showSoundHint(announcer.locked()), 300);
  };
  window.addEventListener("pointerdown", unlock);
  window.addEventListener("keydown", unlock);
  showSoundHint(announcer.locked());
  if (!(await loadOffice())) return;
  const feed = new LiveFeed(office, {
    services,
    onStatus: showConnection,
    onMessage(msg) {
      if (msg.type === "snapshot") onSnapshot(msg);
      else if (msg.type === "call" && msg.call) onCall(msg.call);
      else if (msg.type === "waiting") renderWaiting(msg.waiting || []);
    },
  });
  feed.start();
}

main();
