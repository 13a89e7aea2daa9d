// Lobby display: the call just made, very large, the one before it beside it for a few
// seconds, the last calls beneath, waiting counts, office name, date and clock, and the
// office's slides at the side when it has some. Live through the display WebSocket;
// every reconnection resyncs from the snapshot. Lists are bounded and nothing is added
// per message, so the page can run for weeks. The calls are in display-calls.js, the
// slides in display-slides.js, the sound in audio.js, the invitation to join from the
// phone in display-join.js.
import { t, packFor, current, preferred, setLanguage } from "./i18n.js";
import { $, el, api, pathParam, formatter, LiveFeed } from "./common.js";
import { Announcer, Mode } from "./audio.js";
import * as board from "./display-calls.js";
import { startSlides } from "./display-slides.js";
import { startJoin } from "./display-join.js";

const office = pathParam(1);
const params = new URLSearchParams(location.search);
const services = (params.get("services") || "").trim();

let timeZone;
let firstSnapshot = true;
let languages = ["es"];

const announcer = new Announcer({ onLockChange: showSoundHint, onVoices: showVoice });

/** The office's languages that have a pack, in order: a language without one would
 * only repeat the Spanish. */
function spokenLanguages() {
  const seen = new Set();
  return languages.filter((code) => {
    const pack = packFor(code);
    if (seen.has(pack)) return false;
    seen.add(pack);
    return true;
  });
}

/** The call's sentence in each of those languages. */
function sentences(call) {
  return spokenLanguages().map((code) => ({ code, text: packFor(code).spokenCall(call) }));
}

function announce(call) {
  const said = sentences(call);
  board.liveLog(said);
  announcer.announce(said);
}

function onCall(call) {
  board.addCall(call);
  announce(call);
}

function onSnapshot(msg) {
  if (msg.office_name) setOfficeName(msg.office_name);
  const missed = board.takeSnapshot(msg.calls || [], firstSnapshot);
  firstSnapshot = false;
  missed.forEach(announce);
  renderWaiting(msg.waiting || []);
}

function renderWaiting(waiting) {
  const names = board.names();
  $("#waiting").replaceChildren(...waiting.map((w) => el("li", {}, names[w.service] || w.service, el("b", {}, String(w.count)))));
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

/** Tells staff, small, how this TV speaks: "Voz: Microsoft Sabina (es-MX)" or "Voz:
 * grabaciones de Turnero", per language when the office has several. */
function showVoice() {
  const spoken = spokenLanguages();
  const parts = announcer
    .voices()
    .filter((v) => spoken.includes(v.code))
    .map((v) => {
      if (v.mode === Mode.VOICE) return { ...v, text: `${v.voice.name} (${v.voice.lang})` };
      return { ...v, text: v.mode === Mode.CLIPS ? t("display.voiceRecorded") : t("display.voiceNone") };
    });
  const text = parts.map((p) => (parts.length > 1 ? `${p.code}: ${p.text}` : p.text)).join(" · ");
  const line = $("#voice");
  line.textContent = t("display.voice", { voice: text });
  line.dataset.mode = parts.map((p) => p.mode).join(" ");
}

async function loadOffice(attempt = 0) {
  try {
    const info = await api(`/offices/${encodeURIComponent(office)}`);
    setOfficeName(info.name);
    board.setServiceNames(Object.fromEntries(info.services.map((s) => [s.id, s.name])));
    timeZone = info.timezone;
    formats = null;
    // The office's languages, the default first; a server without the field speaks Spanish.
    languages = Array.isArray(info.languages) && info.languages.length ? info.languages : ["es"];
    // The screen reads in its own ?lang= when the office offers it, else in the office's
    // own language; it announces in each of them in turn.
    const reads = preferred(languages, { saved: false });
    if (reads !== current()) {
      setLanguage(reads);
      staticTexts();
      board.renderHistory();
      return loadOffice(attempt);
    }
    announcer.setLanguages(languages);
    showVoice();
    // The office's announcement line, unless this screen was given one (aviso=).
    if (!(params.get("aviso") || "").trim()) {
      $("#aviso").textContent = info.display_notice || "";
      $("#aviso").hidden = !info.display_notice;
    }
    tick();
    board.renderNow();
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

/** The texts of the page itself, in the current language. */
function staticTexts() {
  $("#sound-text").textContent = t("display.sound");
  $("#history-title").textContent = t("display.history");
  $("#also-label").textContent = t("display.alsoCalled");
  $("#waiting-title").textContent = t("display.waiting");
}

async function main() {
  const aviso = (params.get("aviso") || "").trim();
  if (aviso) {
    $("#aviso").textContent = aviso;
    $("#aviso").hidden = false;
  }
  staticTexts();
  board.renderNow();
  board.renderHistory();
  tick();
  setInterval(tick, 1000);
  window.addEventListener("resize", board.trimHistory);
  const unlock = () => {
    announcer.unlock();
    // Checked again shortly: resume() is asynchronous.
    setTimeout(() => showSoundHint(announcer.locked()), 300);
  };
  window.addEventListener("pointerdown", unlock);
  window.addEventListener("keydown", unlock);
  showSoundHint(announcer.locked());
  announcer.setLanguages(languages);
  showVoice();
  if (!(await loadOffice())) return;
  startSlides(office, params, board.trimHistory);
  startJoin(office);
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
