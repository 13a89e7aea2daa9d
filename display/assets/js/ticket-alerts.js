// Telling a citizen who put the phone away: when the turn is near (the server says so,
// by the office's notify_at_position / notify_at_minutes), and again, more insistently,
// when it is called — a sound, a vibration, a system notification (only once they asked
// for it with the button: never on load), the live region for a screen reader, and a
// picture that needs no reading. Where the office has Web Push, the same button also
// subscribes the phone, so it is told even with the page closed.
import { t } from "./i18n.js";
import { $, api } from "./common.js";

let sound = null; // an AudioContext made inside the button's touch, so it may play
let pressed = false;
let refresh = () => {}; // the button's texts again, in the page's language
let push = null; // {key, token} once the office says it sends Web Push
let pushState = "off"; // "off", "asking", "on" (the server has the subscription), "failed"

/** Whether the button has something left to ask: notifications not yet answered, or
 * (without them) sound not yet allowed. */
export function mayAsk() {
  if ("Notification" in window) return Notification.permission === "default" || !pressed;
  return !pressed;
}

/** The button that asks for notifications (and unlocks sound); hidden once answered. */
export function mountNotifyButton(button, note) {
  const show = () => {
    const state = permission();
    button.hidden = !mayAsk();
    button.textContent = t("ticket.notifyButton");
    const on = pushState === "on" ? t("ticket.notifyPush") : pushState === "failed" ? t("ticket.notifyPushFailed") : t("ticket.notifyOn");
    note.textContent = state === "granted" ? on : state === "denied" ? t("ticket.notifyDenied") : "";
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
    // With the office's Web Push, the phone is subscribed too; the note (a status
    // region) then says the page may be closed, or that it could not be.
    if (permission() === "granted" && push) {
      await subscribePush();
      show();
    }
  });
  show();
}

/** The button's and its note's texts again (after a change of language). */
export function texts() {
  refresh();
}

/** The service worker through which a phone shows notifications (Android's Chrome shows
 * none without one) and receives Web Push. */
function registerWorker() {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  return navigator.serviceWorker.register("/sw.js", { scope: "/t/" }).catch(() => {
    // Without it, the page's own notification (where the browser allows one), sound
    // and vibration still tell.
    return null;
  });
}

/** The office sends Web Push with this public key (base64url; null: it does not). A
 * citizen who already pressed the button is subscribed now. */
export function offerPush(key, token) {
  push = typeof key === "string" && key ? { key, token } : null;
  if (push && pressed && permission() === "granted" && pushState === "off") {
    subscribePush().then(() => refresh());
  }
}

const permission = () => ("Notification" in window ? Notification.permission : "unsupported");

/** base64url → the bytes `applicationServerKey` takes. */
function keyBytes(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const held = new Uint8Array(buffer);
  return held.length === bytes.length && held.every((b, i) => b === bytes[i]);
}

/** Subscribes this phone with the office's key and gives the subscription to the
 * server (`POST /tickets/{token}/notify`), which then tells the phone even with the
 * page closed, and forgets it when the turn ends. Only after the button and the
 * browser's permission: never on load. */
async function subscribePush() {
  if (!push || pushState === "on" || pushState === "asking") return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) return;
  pushState = "asking";
  try {
    // `ready` would wait for ever on a worker that could not be registered.
    if (!(await registerWorker())) throw new Error("no service worker");
    const registration = await navigator.serviceWorker.ready;
    const key = keyBytes(push.key);
    let subscription = await registration.pushManager.getSubscription();
    // Made with another office's key (one phone, two offices): the push service would
    // refuse this office's messages, so it is made again.
    if (subscription && !sameKey(subscription.options && subscription.options.applicationServerKey, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    if (!subscription) {
      subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    }
    await api(`/tickets/${encodeURIComponent(push.token)}/notify`, {
      method: "POST",
      body: { web_push: subscription.toJSON() },
    });
    pushState = "on";
  } catch {
    // The page's own alerts still tell while it stays open; the note says so.
    pushState = "failed";
  }
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
  // The same tag as the service worker's Web Push notifications for this turn, so one
  // replaces the other instead of telling twice.
  const options = { body, tag: `turn:${location.pathname}`, renotify: true, requireInteraction: urgent, lang: document.documentElement.lang, data: { url: location.pathname } };
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
