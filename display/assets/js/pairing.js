// A kiosk page's pairing: the device token a supervisor gave it once (from
// `turnero new-device-token`), kept in this browser so every turn it issues proves it
// comes from the kiosk. A token arrives typed in the pairing form, in the address's
// fragment (`#vincular=…`, which never travels to the server or its logs), or, in demo
// mode, in the page itself.
import { api } from "./common.js";

const key = (office) => `turnero.kiosk.${office}`;

/** The pairing kept for an office: {kiosk, name, prints, token} or null. */
export function stored(office) {
  try {
    const value = JSON.parse(localStorage.getItem(key(office)) || "null");
    return value && typeof value.token === "string" ? value : null;
  } catch {
    return null;
  }
}

/** Forgets the office's pairing (its token was refused). */
export function forget(office) {
  localStorage.removeItem(key(office));
}

/** Checks a token with the server and keeps it; throws the API's error when refused. */
export async function pair(office, token) {
  const kiosk = await api(`/offices/${encodeURIComponent(office)}/kiosks/me`, { token });
  const pairing = { kiosk: kiosk.id, name: kiosk.name, prints: kiosk.prints, token };
  localStorage.setItem(key(office), JSON.stringify(pairing));
  return pairing;
}

/** A token offered to this page: the address's `#vincular=` fragment (removed from the
 *  address at once) or the demo's `<meta>`; null when none. */
export function offered() {
  const match = location.hash.match(/vincular=([A-Za-z0-9_-]{16,})/);
  if (match) {
    history.replaceState(null, "", location.pathname + location.search);
    return match[1];
  }
  const meta = document.querySelector('meta[name="turnero-demo-kiosk"]');
  const demo = meta && meta.content.split(" ")[1];
  return demo || null;
}
