// The supervisor's alerts and forecast, on the live tab. Alerts come pushed on the
// office's stream (`/alerts/stream`, read with fetch so the session's Bearer goes with
// it), listed until they clear; a new one chimes — a short WebAudio sound the supervisor
// can mute, remembered on this device — and is said once in a polite status line. The
// staffing forecast for the next hour (with its advice when a target would be missed) is
// asked every minute.
import { t, current } from "./i18n.js";
import { $, el, api, formatter } from "./common.js";

const MUTE_KEY = "turnero.alerts.muted";
const FORECAST_MS = 60000;
let controller = null;
let forecastTimer = null;
let known = null; // keys of the alerts shown, null before the first list
let audio = null;
let office = null;

const key = (a) => `${a.kind}|${a.service || ""}|${a.counter || ""}|${a.kiosk || ""}`;

function muted() {
  try {
    return localStorage.getItem(MUTE_KEY) === "1";
  } catch {
    return false;
  }
}

function showMute() {
  const button = $("#alert-mute");
  button.setAttribute("aria-pressed", String(muted()));
  button.textContent = muted() ? t("sup.alertsSoundOff") : t("sup.alertsSoundOn");
}

/** Two short tones: heard across a room, never alarming. */
function chime() {
  if (muted()) return;
  try {
    audio = audio || new AudioContext();
    const start = audio.currentTime;
    [880, 660].forEach((frequency, i) => {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.25, start + i * 0.25 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.25 + 0.22);
      tone.connect(gain).connect(audio.destination);
      tone.start(start + i * 0.25);
      tone.stop(start + i * 0.25 + 0.24);
    });
    document.body.dataset.chimes = String(Number(document.body.dataset.chimes || 0) + 1);
  } catch {
    // No sound on this device: the list says it all the same.
  }
}

function render(alerts) {
  const time = formatter(office.timezone, { hour: "2-digit", minute: "2-digit", hour12: false });
  const keys = new Set(alerts.map(key));
  const fresh = known ? alerts.filter((a) => !known.has(key(a))) : [];
  known = keys;
  $("#alert-list").replaceChildren(
    ...(alerts.length
      ? alerts.map((a) =>
          el(
            "li",
            { class: `alert ${a.kind}`, dataset: { kind: a.kind, service: a.service || "" } },
            el("span", { class: "alert-since" }, time.format(new Date(a.since))),
            el("span", { class: "alert-message" }, a.message),
          ),
        )
      : [el("li", { class: "alert none" }, t("sup.alertsNone"))]),
  );
  document.body.dataset.alerts = String(alerts.length);
  $("#alerts").classList.toggle("active", alerts.length > 0);
  if (fresh.length) {
    chime();
    $("#alert-news").textContent = fresh.map((a) => a.message).join(" ");
  }
}

/** Reads the stream until it ends; then asks again after a pause. */
async function stream(token, wait = 2000) {
  controller = new AbortController();
  const mine = controller;
  try {
    const response = await fetch(`/api/v1/offices/${encodeURIComponent(office.id)}/alerts/stream`, {
      headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream", "Accept-Language": current() },
      signal: mine.signal,
      cache: "no-store",
    });
    if (!response.ok || !response.body) throw new Error(String(response.status));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    wait = 2000;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).trim())
          .join("");
        if (!data) continue;
        const message = JSON.parse(data);
        if (message.type === "alerts" && Array.isArray(message.alerts)) {
          render(message.alerts);
          // What made an alert change the next hour too: the forecast is asked again.
          forecast(token);
        }
      }
    }
  } catch {
    if (mine.signal.aborted) return;
  }
  if (mine.signal.aborted) return;
  // Dropped: the list as it stands, then the stream again.
  api(`/offices/${encodeURIComponent(office.id)}/alerts`, { token }).then(render).catch(() => {});
  setTimeout(() => controller === mine && stream(token, Math.min(wait * 2, 30000)), wait);
}

async function forecast(token) {
  try {
    const answer = await api(`/offices/${encodeURIComponent(office.id)}/forecast`, { token });
    const names = Object.fromEntries((office.services || []).map((s) => [s.id, s.name]));
    const percent = new Intl.NumberFormat(current(), { style: "percent", maximumFractionDigits: 0 });
    $("#forecast-table").replaceChildren(
      el("caption", {}, t("sup.forecastTitle")),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "col" }, t("sup.forecastService")),
          el("th", { scope: "col", class: "num" }, t("sup.forecastWait")),
          el("th", { scope: "col", class: "num" }, t("sup.forecastWithin")),
          el("th", { scope: "col" }, t("sup.forecastAdvice")),
        ),
      ),
      el(
        "tbody",
        {},
        ...answer.services.map((s) =>
          el(
            "tr",
            { dataset: { service: s.service }, class: s.advice ? "advised" : "" },
            el("th", { scope: "row" }, names[s.service] || s.service),
            el("td", { class: "num" }, s.expected_wait_minutes === null ? "—" : t("sup.forecastMinutes", { minutes: Math.round(s.expected_wait_minutes) })),
            el("td", { class: "num" }, percent.format(s.within_target_share)),
            el("td", { class: "advice" }, s.advice || t("sup.forecastOnTarget")),
          ),
        ),
      ),
    );
    document.body.dataset.forecastAt = String(Date.now());
  } catch {
    // The forecast is advice: a failed ask leaves the last one on screen.
  }
}

/** Follows the alerts and the forecast of `theOffice` with the session `token`. */
export function followAlerts(theOffice, token) {
  stopAlerts();
  office = theOffice;
  known = null;
  $("#alerts-title").textContent = t("sup.alertsTitle");
  $("#forecast-title").textContent = t("sup.forecastTitle");
  showMute();
  stream(token);
  forecast(token);
  forecastTimer = setInterval(() => forecast(token), FORECAST_MS);
}

/** Stops following (another office, or signed out). */
export function stopAlerts() {
  if (controller) controller.abort();
  controller = null;
  clearInterval(forecastTimer);
}

/** Wires the mute button once. */
export function mountAlerts() {
  $("#alert-mute").addEventListener("click", () => {
    try {
      localStorage.setItem(MUTE_KEY, muted() ? "0" : "1");
    } catch {
      // Not remembered on this device; the button still says what it is now.
    }
    showMute();
  });
}
