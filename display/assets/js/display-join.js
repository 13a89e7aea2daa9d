// The lobby display's invitation to join from the phone (`join` in the office): the join
// page's QR and, in `lobby` mode, the code that changes every few minutes — read with the
// display's pairing (a kiosk device token, `#vincular=…` once), since only a screen in the
// lobby may show it. Asked again when the code changes; hidden when the office takes no
// turns from phones or the display is not paired.
import { t, onLanguageChange } from "./i18n.js";
import { $, api } from "./common.js";
import * as pairing from "./pairing.js";

const EVERY_MS = 60000; // without a code to follow, the invitation is checked each minute
let timer = null;
let shown = null;

function render() {
  const box = $("#join");
  if (!shown) {
    box.hidden = true;
    return;
  }
  const url = new URL(shown.url);
  $("#join-qr").src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(shown.qr_svg)}`;
  $("#join-title").textContent = t("display.joinTitle");
  $("#join-text").textContent = t("display.joinText", { url: `${url.host}${url.pathname}` });
  $("#join-code-label").textContent = t("display.joinCode");
  $("#join-code").textContent = shown.code || "";
  $("#join-code-line").hidden = !shown.code;
  box.hidden = false;
  document.body.dataset.joinCode = shown.code || "";
}

async function refresh(office) {
  clearTimeout(timer);
  let wait = EVERY_MS;
  try {
    const kept = pairing.stored(office);
    shown = await api(`/offices/${encodeURIComponent(office)}/join-code`, { token: kept && kept.token });
    if (shown.changes_at) wait = Math.max(1000, Date.parse(shown.changes_at) - Date.now() + 500);
  } catch (error) {
    // `join_off`, or a lobby code this display may not read (not paired): nothing shown.
    shown = null;
    if (error.status === 401 || error.status === 403) console.info("turnero: pair this display (#vincular=…) to show the lobby's join code");
  }
  render();
  timer = setTimeout(() => refresh(office), wait);
}

/** Starts the invitation for `office`, taking a pairing offered in the address first. */
export async function startJoin(office) {
  const offered = pairing.offered();
  if (offered) {
    try {
      await pairing.pair(office, offered);
    } catch {
      // A wrong token: the display works without the invitation.
    }
  }
  onLanguageChange(render);
  refresh(office);
}
