// The citizen's page behind the ticket's QR: the turn's live state on a phone. Its own
// feed (`/tickets/{token}/live`) sends the turn whenever it changes, so a call of anyone
// else costs the page no request; it asks again only while that feed is down.
// It speaks the language chosen at the kiosk (`?lang=` in the QR's address), or the one
// chosen here with the switch (kept on the phone), else the office's own.
import { t, lang, current, preferred, setLanguage } from "./i18n.js";
import { mountLanguageSwitch } from "./language-switch.js";
import * as alerts from "./ticket-alerts.js";
import * as sms from "./ticket-sms.js";

// Pictures that need no reading: a bell when the turn is near, an arrow when it is called.
const BELL = '<svg viewBox="0 0 48 48" aria-hidden="true" focusable="false"><path d="M24 6c-7 0-12 5-12 12v9l-4 6h32l-4-6v-9c0-7-5-12-12-12z" class="cue-fill"/><path d="M19 37a5 5 0 0 0 10 0z" class="cue-fill"/></svg>';
const ARROW = '<svg viewBox="0 0 48 48" aria-hidden="true" focusable="false"><path d="M6 20h22V9l16 15-16 15V28H6z" class="cue-fill"/></svg>';

function cue(svg, kind) {
  const node = el("div", { class: `cue ${kind}` });
  node.innerHTML = svg;
  return node;
}
import { $, el, api, pathParam, LiveFeed } from "./common.js";
import { mountSurvey } from "./survey.js";

const token = pathParam(1);

/** The turn's own feed: the display feed's reconnection, on the turn's socket; the
 * server closes it normally once the turn has ended (a no-show after its minute). */
class TicketFeed extends LiveFeed {
  get endsOnNormalClose() {
    return true;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${location.host}/api/v1/tickets/${encodeURIComponent(token)}/live?lang=${current()}`;
  }
}
const POLL_MS = 20000;
// Turns the page still follows: a no-show may be undone within a minute.
const ACTIVE = ["waiting", "called", "serving", "no_show"];
let ticket = null;
let feed = null;
let lastCallKey = null;
let nearTold = null; // the turn (code and service) the "near" alert was given for
let feedHeard = 0; // counts the feed's messages, so an older HTTP answer never wins

async function load() {
  try {
    const asked = current();
    const heard = feedHeard;
    const fresh = await api(`/tickets/${encodeURIComponent(token)}`);
    // An answer in a language the page has left meanwhile, or older than what the feed
    // has said since, is stale.
    if (current() !== asked || feedHeard !== heard) return;
    $("#conn").hidden = true;
    render(fresh);
    if (!$("#office").dataset.named) {
      $("#office").dataset.named = "1";
      api(`/offices/${encodeURIComponent(fresh.office)}`)
        .then(officeKnown)
        .catch(() => {});
    }
    // A finished turn changes no more: the live feed is only for turns under way.
    if ((!feed || feed.stopped) && ACTIVE.includes(fresh.status)) {
      if (!feed) {
        feed = new TicketFeed(fresh.office, {
          onMessage: (msg) => {
            if (msg.type !== "ticket" || !msg.ticket) return;
            feedHeard += 1;
            render(msg.ticket);
          },
          onStatus: (online) => {
            $("#conn").textContent = t("conn.offline");
            $("#conn").hidden = online;
          },
        });
      }
      feed.start();
    }
  } catch (error) {
    if (error.status === 404) {
      $("#card").replaceChildren(el("p", { class: "notice error" }, t("ticket.notFound")));
      return;
    }
    $("#conn").textContent = t("conn.offline");
    $("#conn").hidden = false;
  }
}

function render(next) {
  const previous = ticket;
  ticket = next;
  const card = $("#card");
  const s = next.status;
  document.body.dataset.status = s;
  document.title = t("ticket.title", { code: next.code });
  $("#label").textContent = t("ticket.yourTurn");
  $("#code").textContent = next.code;
  $("#service").textContent = next.service_name;
  card.className = "card";
  const state = [];
  const counter = next.counter_name || next.counter || "";
  if (s === "waiting") {
    state.push(el("h1", {}, t("ticket.waiting")));
    if (next.preferential) state.push(el("p", {}, el("span", { class: "badge pref" }, next.category_label || next.category)));
    if (next.snoozed) state.push(el("p", { class: "snoozed-text" }, t("ticket.snoozedText")));
    if (next.near) {
      state.unshift(cue(BELL, "near"));
      state.push(el("p", { class: "near-text" }, t("ticket.nearText", { code: next.code, people: next.position ?? 0 })));
      // Told once per turn (a transfer makes it a new wait); a page opened already near
      // only says it.
      const turn = `${next.code}|${next.service}`;
      if (nearTold !== turn) {
        nearTold = turn;
        alerts.near(next, { quiet: !previous });
      }
    }
    $("#ahead").textContent = next.position === 0 ? "0" : String(next.position ?? "—");
    // A position that moved is said politely (near and called have their own alerts).
    if (previous && previous.status === "waiting" && previous.position !== next.position && !(next.near && !previous.near)) {
      alerts.say(t("ticket.aheadNow", { people: next.position ?? 0 }), false);
    }
    $("#wait").textContent = capital(lang.waitText(next.estimated_wait_seconds));
    if (next.position === 0) state.push(el("p", {}, t("ticket.next")));
  } else if (s === "called") {
    card.classList.add("called");
    state.push(cue(ARROW, "go"));
    state.push(el("h1", {}, t("ticket.called", { counter })));
    state.push(el("p", {}, next.recalls > 0 ? t("ticket.calledAgain") : t("ticket.showCode")));
    const key = `${next.called_at}|${next.recalls}|${next.counter}`;
    if (key !== lastCallKey) {
      lastCallKey = key;
      if (previous) {
        card.classList.add("fresh");
        alerts.called(next, counter);
      }
    }
  } else if (s === "serving") {
    card.classList.add("called");
    state.push(el("h1", {}, t("ticket.serving", { counter })));
  } else {
    card.classList.add("ended");
    const [title, text] = {
      served: ["ticket.served", "ticket.servedText"],
      no_show: ["ticket.noShow", "ticket.noShowText"],
      cancelled: ["ticket.cancelled", "ticket.cancelledText"],
      expired: ["ticket.expired", "ticket.expiredText"],
    }[s] || ["ticket.expired", "ticket.expiredText"];
    state.push(el("h1", {}, t(title)), el("p", {}, t(text)));
    // The turn is over: nothing will change any more (a no-show's feed waits for an
    // undo; the server closes it after the minute).
    if (feed && s !== "no_show") feed.stop();
  }
  $("#state").replaceChildren(...state);
  // Called: the whole page in very large type, to be read at arm's length.
  document.body.classList.toggle("urgent", s === "called");
  $("#notify").hidden = !["waiting", "called"].includes(s) || !alerts.mayAsk();
  if (!["waiting", "called"].includes(s)) $("#notify-note").hidden = true;
  $("#waiting").hidden = s !== "waiting";
  $("#cancel").hidden = s !== "waiting";
  sms.turnIs(s);
  $("#snooze").hidden = !(s === "called" && !next.snoozed && next.snooze_turns > 0);
  $("#live").hidden = s !== "waiting";
  $("#survey").hidden = s !== "served";
  if (s === "served") mountSurvey($("#survey-body"), token, next);
}

const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** The office answered: its name, its languages for the switch, and the page's language
 * settled among them. */
function officeKnown(office) {
  $("#office").textContent = office.name;
  sms.officeKnown(office);
  const offered = Array.isArray(office.languages) && office.languages.length ? office.languages : ["es"];
  mountLanguageSwitch($("#languages"), offered, (code) => switchTo(code, true));
  // Web Push where the office has it: the button then also subscribes the phone.
  alerts.offerPush(office.web_push_key, token);
  const wanted = preferred(offered, { saved: true, savedFirst: true });
  if (wanted !== current()) switchTo(wanted, false);
}

/** Moves the page to a language: its texts now, the turn's names and survey on refetch. */
function switchTo(code, save) {
  setLanguage(code, { save });
  // The address says the language too, so a reload or a shared link keeps it.
  const address = new URL(location.href);
  address.searchParams.set("lang", code);
  history.replaceState(null, "", address);
  staticTexts();
  const survey = $("#survey-body");
  if (survey.dataset.state !== "answered") survey.dataset.mounted = "";
  if (ticket) render(ticket);
  load();
  // The feed speaks the page's language: it connects again in the new one.
  if (feed && !feed.stopped) feed.reconnectNow();
}

/** Asks the citizen to confirm before acting on the turn: cancel or snooze. */
function confirmThen(action) {
  const code = ticket ? ticket.code : "";
  const texts = {
    cancel: ["ticket.cancelQuestion", "ticket.cancelYes", "ticket.cancelNo", "danger"],
    snooze: ["ticket.snoozeQuestion", "ticket.snoozeYes", "ticket.snoozeNo", "primary"],
  }[action];
  $("#confirm-text").textContent = t(texts[0], { code, turns: ticket ? ticket.snooze_turns : 0 });
  $("#confirm-yes").textContent = t(texts[1]);
  $("#confirm-yes").className = `btn ${texts[3]}`;
  $("#confirm-no").textContent = t(texts[2]);
  $("#confirm").dataset.action = action;
  $("#confirm").showModal();
}

/** The confirmed action: the citizen gives up the turn, or asks for a few minutes. */
async function confirmed() {
  const action = $("#confirm").dataset.action;
  $("#confirm").close();
  try {
    render(await api(`/tickets/${encodeURIComponent(token)}/${action}`, { method: "POST" }));
    $("#message").hidden = true;
  } catch (error) {
    $("#message").textContent = error.message;
    $("#message").hidden = false;
    load();
  }
}

/** The texts of the page itself, in the current language. */
function staticTexts() {
  $("#ahead-label").textContent = t("ticket.ahead");
  $("#wait-label").textContent = t("ticket.expected");
  $("#live").textContent = t("ticket.live");
  $("#survey-title").textContent = t("survey.title");
  $("#cancel").textContent = t("ticket.cancel");
  $("#snooze").textContent = t("ticket.snooze");
  alerts.texts();
  sms.texts();
}

function main() {
  staticTexts();
  alerts.mountNotifyButton($("#notify"), $("#notify-note"));
  sms.mount(token);
  $("#cancel").addEventListener("click", () => confirmThen("cancel"));
  $("#snooze").addEventListener("click", () => confirmThen("snooze"));
  $("#confirm-no").addEventListener("click", () => $("#confirm").close());
  $("#confirm-yes").addEventListener("click", confirmed);
  load();
  // Asked again only while the feed is down (or before it is up).
  setInterval(() => {
    const live = feed && feed.online;
    if (!live && (!ticket || ACTIVE.includes(ticket.status))) load();
  }, POLL_MS);
  // A phone that wakes up hears its turn again at once: its feed reconnects, which
  // sends the turn as it stands (or, without a feed, the page asks).
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    if (feed && !feed.stopped) feed.reconnectNow();
    else load();
  });
}

main();
