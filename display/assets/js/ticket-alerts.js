// Telling a citizen who put the phone away: when the turn is near (the server says so,
// by the office's notify_at_position / notify_at_minutes), and again, more insistently,
// when it is called — a sound, a vibration, a system notification (only once they asked
// for it with the button: never on load), the live region for a screen reader, and a
// picture that needs no reading.
import { t } from "./i18n.js";
import { $ } from "./common.js";

let sound = null; // an AudioContext made inside the button's touch, so it may play
let pressed = false;
let refresh = () => {}; // the button's texts again, in the page's language

/** Whether the button has something left to ask: notifications not yet answered, or
 * (without them) sound not yet allowed. */
export function mayAsk() {
  if ("Notification" in window) return Notification.permission === "default" || !pressed;
  return !pressed;
}

/** The button that asks for notifications (and unlocks sound); hidden once answered. */
export function mountNotifyButton(button, note) {
  const permission = () => ("Notification" in window ? Notification.permission : "unsupported");
  const show = () => {
    const state = permission();
    button.hidden = !mayAsk();
    button.textContent = t("ticket.notifyButton");
    note.textContent = state === "granted" ? t("ticket.notifyOn") : state === "denied" ? t("ticket.notifyDenied") : "";
    note.hidden = !note.textContent;
  };
  refresh = show;
  if (permission() === "granted") registerWorker();
  button.addEventListener("click", async () => {
    pressed = true;
    unlockSound();
    if ("Notification" in window && Notification.permission === "default") {
      try {
        await Notification.requestPermission();
      } catch {
        // An old browser with the callback form only: it asked nonetheless.
      }
    }
    if (permission() === "granted") registerWorker();
    if (permission() === "unsupported") {
      // No notifications here: sound and vibration still tell them, and the button did
      // what it could.
      button.hidden = true;
      note.textContent = t("ticket.notifySoundOnly");
      note.hidden = false;
    } else {
      show();
    }
    // The button is gone: the focus goes to what it answered, which is read out.
    note.tabIndex = -1;
    if (!note.hidden) note.focus();
  });
  show();
}

/** The button's and its note's texts again (after a change of language). */
export function texts() {
  refresh();
}

/** The service worker through which a phone shows notifications (Android's Chrome shows
 * none without one). */
function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/t/" }).catch(() => {
    // Without it, the page's own notification (where the browser allows one), sound
    // and vibration still tell.
  });
}

function unlockSound() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  try {
    sound = sound || new Context();
    if (sound.state !== "running") sound.resume().catch(() => {});
  } catch {
    sound = null;
  }
}

/** A few tones: `notes` are [frequency, start, length] in seconds. */
function play(notes) {
  if (!sound) return;
  // A phone that locked its screen suspends sound; it may come back on its own.
  if (sound.state !== "running") sound.resume().catch(() => {});
  if (sound.state !== "running") return;
  const start = sound.currentTime + 0.05;
  for (const [freq, at, length] of notes) {
    const osc = sound.createOscillator();
    const gain = sound.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + at);
    gain.gain.exponentialRampToValueAtTime(0.35, start + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + at + length);
    osc.connect(gain).connect(sound.destination);
    osc.start(start + at);
    osc.stop(start + at + length + 0.05);
  }
}

async function notify(title, body, urgent) {
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  const options = { body, tag: "turnero-turn", renotify: true, requireInteraction: urgent, lang: document.documentElement.lang };
  try {
    // Android's Chrome shows notifications only through a service worker, when one is there.
    const registration = navigator.serviceWorker && (await navigator.serviceWorker.getRegistration("/t/"));
    if (registration) return await registration.showNotification(title, options);
    new Notification(title, options);
  } catch {
    // The notification could not be shown: the page itself still says it, loudly.
  }
}

/** Says a sentence through the page's one live region: politely (a position that
 * moved), or at once (near, called). The card itself is not live, so nothing is read
 * twice. */
export function say(text, urgent = true) {
  const region = $("#alert-live");
  region.setAttribute("aria-live", urgent ? "assertive" : "polite");
  region.textContent = "";
  // A change the screen reader notices even when the same words come again.
  setTimeout(() => (region.textContent = text), 50);
}

/** The turn is near: a soft double tone, a short vibration, the notification. */
export function near(ticket, { quiet = false } = {}) {
  const text = t("ticket.nearText", { code: ticket.code, people: ticket.position ?? 0 });
  say(`${t("ticket.near")}. ${text}`);
  if (quiet) return;
  play([[660, 0, 0.25], [880, 0.3, 0.35]]);
  if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  notify(t("ticket.near"), text, false);
}

/** The turn is called: a longer chime, a long vibration, a notification that stays. */
export function called(ticket, counter) {
  const text = t("ticket.called", { counter });
  say(text);
  play([[880, 0, 0.4], [660, 0.45, 0.4], [880, 0.9, 0.4], [660, 1.35, 0.6]]);
  if (navigator.vibrate) navigator.vibrate([600, 200, 600, 200, 600]);
  notify(t("ticket.calledTitle", { code: ticket.code }), text, true);
}
