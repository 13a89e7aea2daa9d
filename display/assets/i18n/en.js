// English: every text the screens show or speak, the same keys and functions as es.js.
// Plain, polite public-service English with British spelling ("cancelled", "queue"):
// "ticket" is the citizen's turn, "counter" the window (ventanilla), "no-show", "call
// again", "priority service" for atención preferencial. Pick it in ../js/i18n.js.

/** The language's code (BCP 47) and its name in itself, for a language switch. */
export const code = "en";
export const name = "English";

const ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
  "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
  "eighteen", "nineteen"];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
  "ninety"];

function below1000(n) {
  if (n < 20) return ONES[n];
  if (n < 100) {
    const u = n % 10;
    return TENS[Math.floor(n / 10)] + (u ? "-" + ONES[u] : "");
  }
  const rest = n % 100;
  return ONES[Math.floor(n / 100)] + " hundred" + (rest ? " " + below1000(rest) : "");
}

/** A whole number in English words, without "and": 23 → "twenty-three", 1001 → "one thousand one". */
export function numberToWords(value) {
  let n = Math.trunc(Number(value));
  if (!Number.isFinite(n)) return String(value);
  if (n < 0) return "minus " + numberToWords(-n);
  if (n >= 1e12) return String(n);
  const parts = [];
  // Short scale, as both the US and the UK now use it: a billion is a thousand million.
  const billions = Math.floor(n / 1e9);
  n %= 1e9;
  if (billions) parts.push(below1000(billions) + " billion");
  const millions = Math.floor(n / 1e6);
  n %= 1e6;
  if (millions) parts.push(below1000(millions) + " million");
  const thousands = Math.floor(n / 1000);
  n %= 1000;
  if (thousands) parts.push(below1000(thousands) + " thousand");
  if (n || parts.length === 0) parts.push(below1000(n));
  return parts.join(" ");
}

// How letters of a turn's prefix are read aloud. An English voice names a capital letter
// by itself, in its own variety ("zee" in en-US, "zed" in en-GB), so letters stay
// capitals. Only "A" is a trap: before a word it is read as the article ("a
// twenty-three"), so spokenCode puts a comma after the letters ("A, twenty-three"),
// which every voice reads as the letter and a short pause (checked with espeak-ng).
// Spellings such as "ay" are no help: voices read them as "aye".
const LETTERS = { A: "A", B: "B", C: "C", D: "D", E: "E", F: "F", G: "G", H: "H", I: "I",
  J: "J", K: "K", L: "L", M: "M", N: "N", O: "O", P: "P", Q: "Q", R: "R", S: "S", T: "T",
  U: "U", V: "V", W: "W", X: "X", Y: "Y", Z: "Z" };

/** "A-023" → "A, twenty-three"; letters by their names, the number in words. */
export function spokenCode(code) {
  const m = /^([A-Za-zÑñ]*)[-\s]?0*(\d+)$/.exec(String(code).trim());
  if (!m) return String(code);
  const letters = [...m[1].toUpperCase()].map((c) => LETTERS[c] || c).join(", ");
  return (letters ? letters + ", " : "") + numberToWords(Number(m[2]));
}

// An office's counters are usually named in Spanish: the word for the place is said in
// English, followed by its number ("Ventanilla 3" → "counter three"; "Ventanilla de
// Atención Preferencial 12" → "counter twelve"), so an English voice says something a
// visitor can follow.
const PLACES = { ventanilla: "counter", caja: "cashier", "módulo": "desk", modulo: "desk", mesa: "desk", puesto: "booth", taquilla: "window" };

/** "Counter 3" → "to counter three"; "Information desk" → "to the information desk". */
export function spokenPlace(name) {
  const first = String(name).trim().split(/\s+/)[0].toLowerCase();
  if (PLACES[first] && !/\d|\s[A-Z]$/.test(String(name).trim())) return `to the ${PLACES[first]}`;
  const spanish = /^(\S+)\s.*?\b([A-Z]?)(\d*)\s*$/u.exec(String(name).trim());
  const place = spanish && (spanish[2] || spanish[3]) && PLACES[spanish[1].toLowerCase()];
  if (place) {
    const mark = [spanish[2], spanish[3] && numberToWords(Number(spanish[3]))].filter(Boolean).join(", ");
    return `to ${place} ${mark}`;
  }
  const words = String(name).trim().replace(/\d+/g, (d) => ` ${numberToWords(Number(d))} `).trim().split(/\s+/);
  // A numbered or lettered place takes no article ("counter three", "room B"); a named
  // one does ("the cashier").
  const numbered = /\d\s*$|(^|\s)[A-Z]$/.test(String(name).trim());
  words[0] = (words[0] || "").toLowerCase();
  return (numbered ? "to " : "to the ") + words.join(" ");
}

/** The sentence a lobby screen speaks for a call. */
export function spokenCall(call) {
  const again = call.recall ? "Calling again. " : "";
  return `${again}Ticket ${spokenCode(call.code)}, please go ${spokenPlace(call.counter_name || call.counter)}.`;
}

/** "about 5 minutes" and the like, for an expected wait in seconds. */
export function waitText(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return "less than a minute";
  // Rounded to the nearest minute, as the printed ticket is, so paper and screen agree.
  const minutes = Math.round(s / 60);
  if (minutes === 1) return "about a minute";
  if (minutes < 60) return `about ${minutes} minutes`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = h === 1 ? "1 hour" : `${h} hours`;
  if (!m) return `about ${hours}`;
  return `about ${hours} and ${m === 1 ? "1 minute" : `${m} minutes`}`;
}

/** How long someone has waited, short: "8 min", "1 h 05 min". */
export function shortDuration(seconds) {
  const s = Math.max(0, Math.round(seconds || 0));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** "3 people" / "1 person" / "no one". */
export function people(n) {
  if (!n) return "no one";
  return n === 1 ? "1 person" : `${n} people`;
}

/** "1 response" / "12 responses", for a count of survey answers. */
export function responses(n) {
  const count = Number(n) || 0;
  return count === 1 ? "1 response" : `${new Intl.NumberFormat("en").format(count)} responses`;
}

export const strings = {
  locale: "en",
  "app.name": "Turnero",

  "error.network": "There is no connection to the server. Please check the network; the system will try again.",
  "error.generic": "Something went wrong. Please try again in a moment.",
  "error.office": "We could not find the office “{office}”. Please check the address of this screen.",

  "lang.switch": "Language",
  "agent.actionColumn": "Action",
  "sup.sections": "Sections",
  "conn.offline": "Offline. Reconnecting…",
  "conn.retry": "Offline. Reconnecting in {seconds} s…",

  // Lobby display
  "display.title": "Tickets — {office}",
  "display.turn": "Ticket",
  "display.goTo": "Please go to",
  "display.recall": "Calling again",
  "display.preferential": "Priority",
  "display.empty": "Welcome",
  "display.emptyHint": "Here you will see the ticket being called and the counter to go to.",
  "display.history": "Recent calls",
  "display.historyEmpty": "No calls yet.",
  "display.waiting": "Waiting",
  "display.sound": "Sound is off. Touch the screen or press a key to turn on spoken announcements.",
  "display.soundOn": "Sound is on.",
  "display.alsoCalled": "Also called",
  "display.voice": "Voice: {voice}",
  "display.voiceRecorded": "Turnero recordings",
  "display.voiceNone": "no voice on this device",
  "display.slides": "Office information",

  // Joining from the door (the phone, no kiosk)
  "join.title": "Take a ticket — {office}",
  "join.noOffice": "We could not find this office; check the address on the poster or scan its code again.",
  "join.offTitle": "This office does not give tickets by phone",
  "join.offText": "Please take a ticket at the kiosk by the entrance; you can follow it on your phone from there.",
  "join.codeTitle": "Type the code on the screen",
  "join.codeLabel": "Waiting-room code",
  "join.codeHint": "The waiting-room screen shows it next to the QR code; it changes every few minutes.",
  "join.codeMissing": "Type the code the waiting-room screen shows.",
  "join.phoneTitle": "Your phone number",
  "join.phoneLabel": "Mobile phone",
  "join.phoneHint": "With the country code, for example +573001234567. It is used only to limit tickets per person.",
  "join.phoneMissing": "Type your phone number with the country code.",
  "join.submit": "Take my ticket",
  "display.joinTitle": "Take a ticket with your phone",
  "display.joinText": "Scan the QR code or go to {url}",
  "display.joinCode": "Code",

  // Kiosk
  "kiosk.title": "Take a ticket — {office}",
  "kiosk.welcome": "Welcome",
  "kiosk.chooseService": "Touch the service you have come for",
  "kiosk.waiting": "{people} ahead of you",
  "kiosk.expected": "Estimated wait: {wait}",
  "kiosk.help": "If you need help, please go to the information desk.",
  "kiosk.noServices": "No services are available at the moment.",
  "kiosk.preferentialQuestion": "Do you need priority service?",
  "kiosk.preferentialHint": "Touch the option that applies to you. If none applies, touch “No”.",
  "kiosk.no": "No",
  "kiosk.noDetail": "General service",
  "kiosk.back": "Back",
  "kiosk.yourTurn": "Your ticket",
  "kiosk.ahead": "People ahead of you",
  "kiosk.expectedWait": "Estimated wait",
  "kiosk.qr": "Scan the code with your phone to follow your ticket.",
  "kiosk.printing": "Printing your ticket…",
  "kiosk.printed": "Please take your printed ticket.",
  "kiosk.printFailed": "We could not print your ticket. Your place in the queue is still valid: write down the number or scan the code.",
  "kiosk.noPrinter": "Write down your number or scan the code: this kiosk does not print tickets.",
  "kiosk.done": "Done",
  "kiosk.backSoon": "This screen will return to the start in {seconds} s.",
  "kiosk.smsOffer": "Get a text message (optional)",
  "kiosk.smsTitle": "Your mobile number, with the country code (+57…)",
  "kiosk.smsCancel": "Cancel",
  "kiosk.smsSend": "Send me the texts",
  "kiosk.smsErase": "Erase",
  "kiosk.smsDone": "We will text {phone} when your ticket is near and when it is called.",
  "kiosk.closed": "The office is closed",
  "kiosk.nextOpening": "We open again on {when}.",
  "kiosk.closedNoDate": "Please see the opening hours at the entrance.",
  "kiosk.issuing": "One moment, please…",
  "kiosk.unavailable": "We cannot issue tickets at the moment; please ask a member of staff for help.",
  "kiosk.pairTitle": "Pair this kiosk",
  "kiosk.pairText": "This kiosk is not yet paired with the office. A supervisor must enter the kiosk's key here (the one given by “turnero new-device-token”); it is saved on this device.",
  "kiosk.pairTextOpen": "Until it is paired, this kiosk can only issue a few tickets in a row. A supervisor can pair it with the kiosk's key (the one given by “turnero new-device-token”).",
  "kiosk.pairLabel": "Kiosk key",
  "kiosk.pairSubmit": "Pair",
  "kiosk.pairCancel": "Back",
  "kiosk.pairOpen": "Pair this kiosk",
  "kiosk.pairRefused": "That key does not belong to any kiosk in this office; please check it.",
  "kiosk.unpaired": "This kiosk's key is no longer valid; a supervisor must pair it again.",

  // Agent console
  "agent.title": "Counter console",
  "agent.signIn": "Sign in",
  "agent.username": "Username",
  "agent.password": "Password",
  "agent.enter": "Sign in",
  "agent.pickOffice": "Choose the office",
  "agent.pickCounter": "Choose your counter",
  "agent.signOut": "Sign out",
  "agent.changeCounter": "Change counter",
  "agent.takenOver": "{agent} has taken over this counter; choose another one to keep serving.",
  "agent.closeCounter": "Close counter",
  "agent.openCounter": "Open counter",
  "agent.sessionEnded": "Your session has ended. Please sign in again.",
  "agent.current": "Current ticket",
  "agent.noCurrent": "No ticket in progress",
  "agent.noCurrentHint": "Press “Call next” to call the next ticket.",
  "agent.calledFor": "Called {time} ago",
  "agent.servingFor": "Serving for {time}",
  "agent.pausedFor": "Paused for {time}",
  "agent.recalls": "Called {n} times",
  "agent.callNext": "Call next",
  "agent.recall": "Call again",
  "agent.start": "Start service",
  "agent.finish": "Finish",
  "agent.noShow": "No-show",
  "agent.noShowTitle": "Mark ticket {code} as a no-show?",
  "agent.noShowText": "The ticket will be closed. If the person arrives straight away, you can undo this for one minute.",
  "agent.noShowConfirm": "Yes, mark as no-show",
  "agent.noShowDone": "{code} marked as a no-show.",
  "agent.undo": "Undo",
  "agent.recalled": "Ticket {code} called again.",
  "agent.started": "Service for ticket {code} started.",
  "agent.finished": "Ticket {code} finished.",
  "agent.pausedDone": "Counter paused.",
  "agent.resumedDone": "Counter available again.",
  "agent.openedDone": "Counter open.",
  "agent.online": "Connected",
  "agent.offline": "Offline · reconnecting",
  "agent.undone": "{code} is called at this counter again.",
  "agent.transfer": "Transfer",
  "agent.callCode": "Call a specific ticket",
  "agent.pause": "Pause",
  "agent.resume": "Resume",
  "agent.waitingTitle": "Tickets waiting",
  "agent.waitingNone": "No tickets are waiting for this counter.",
  "agent.waitingSummary": "{count} waiting · longest wait {longest} ({code})",
  "agent.colCode": "Ticket",
  "agent.colService": "Service",
  "agent.colCategory": "Category",
  "agent.colWait": "Wait",
  "agent.call": "Call",
  "agent.nobodyWaiting": "No tickets are waiting for this counter.",
  "agent.called": "Ticket {code} called.",
  "agent.done": "Done.",
  "agent.transferTo": "Transfer ticket {code} to:",
  "agent.transferred": "Ticket {code} moved to {service}.",
  "agent.snoozed": "The citizen with ticket {code} asked for a few minutes: back in the queue after {turns} tickets. Call the next one.",
  "agent.codeLabel": "Ticket code (for example A-017)",
  "agent.callReason": "Reason for calling out of order",
  "agent.callReasonPick": "Choose the reason…",
  "agent.callNote": "Note (required with “Other reason”; the supervisor sees it)",
  "agent.pauseReason": "Reason for the pause",
  "agent.pauseOther": "Other reason",
  "agent.pauseReasons": ["Lunch", "Break", "Internal query", "Meeting"],
  "agent.confirm": "Confirm",
  "agent.cancel": "Cancel",
  // The keys are fixed in ../js/agent.js (SHORTCUTS), so they keep the Spanish initials.
  "agent.shortcuts": "Keyboard shortcuts: L call next · R call again · I start · F finish · N no-show · T transfer · E specific ticket · P pause or resume.",
  "agent.live": "Live updates",
  "state.closed": "Closed",
  "state.open": "Available",
  "state.calling": "Calling",
  "state.serving": "Serving",
  "state.paused": "Paused",

  // Citizen's page
  "ticket.title": "Your ticket {code}",
  "ticket.notFound": "We could not find this ticket. Please check the link or scan the code on your ticket again.",
  "ticket.yourTurn": "Your ticket",
  "ticket.waiting": "Waiting",
  "ticket.ahead": "People ahead of you",
  "ticket.notifyButton": "Alert me on this phone",
  "ticket.notifyOn": "We will alert you on this phone when your ticket is near and when you are called.",
  "ticket.notifyDenied": "This phone does not allow alerts from this page: keep it open and we will alert you with sound and vibration.",
  "ticket.notifySoundOnly": "Keep this page open: we will alert you with sound and vibration.",
  "ticket.notifyPush": "We will alert you on this phone when your ticket is near and when you are called, even if you close this page.",
  "ticket.notifyPushFailed": "Alerts with the page closed could not be turned on: keep it open and we will alert you when your ticket is near and when you are called.",
  "ticket.near": "Your ticket is near",
  "ticket.nearText": "Your ticket {code} is near: {people} ahead of you. Please come back to the waiting room.",
  "ticket.calledTitle": "You are being called: ticket {code}",
  "ticket.aheadNow": "There are now {people} ahead of you.",
  "ticket.next": "You are next!",
  "ticket.expected": "Estimated wait",
  "ticket.live": "This page updates by itself. We will let you know when you are called.",
  "ticket.called": "Your ticket has been called: please go to {counter}",
  "ticket.calledAgain": "We are calling you again: please come now.",
  "ticket.showCode": "Show this number when you reach the counter.",
  "ticket.serving": "You are being served at {counter}.",
  "ticket.served": "Thank you for your visit",
  "ticket.servedText": "Your visit is complete. Have a good day.",
  "ticket.survey": "Satisfaction survey",
  "ticket.surveySoon": "Soon you will be able to rate the service you received here. Your opinion helps us improve.",
  "ticket.noShow": "Your ticket was called and you did not come to the counter",
  "ticket.noShowText": "If you are still in the office, please take a new ticket at the entrance.",
  "ticket.cancelled": "You cancelled this ticket",
  "ticket.cancelledText": "If you need to, you can take a new ticket at the office.",
  "ticket.expired": "This ticket has expired",
  "ticket.expiredText": "The office closed for the day before you were served. Please take a new ticket on your next visit.",
  "ticket.cancel": "Cancel my ticket",
  "ticket.cancelQuestion": "Do you want to cancel your ticket {code}? You will lose your place in the queue.",
  "ticket.cancelYes": "Yes, cancel my ticket",
  "ticket.cancelNo": "No, keep my ticket",
  "ticket.smsButton": "Text me (SMS)",
  "ticket.smsLabel": "Your mobile number",
  "ticket.smsHint": "With the country code, for example +573001234567. We will text you when your ticket is near and when it is called; the number is erased when your ticket ends.",
  "ticket.smsSubmit": "Send me the texts",
  "ticket.smsMissing": "Type your mobile number with the country code.",
  "ticket.smsOn": "We will text {phone} when your ticket is near and when it is called.",
  "ticket.smsForget": "Stop the texts",
  "ticket.snooze": "On my way: give me a few minutes",
  "ticket.snoozeQuestion": "On your way? Ticket {code} goes back to the queue and will be called again after {turns} tickets. You can ask for this only once.",
  "ticket.snoozeYes": "Yes, I am on my way",
  "ticket.snoozeNo": "No, I am going to the counter",
  "ticket.snoozedText": "You asked for a few minutes: your ticket will be called again shortly. Please come to the waiting room.",
  "ticket.service": "Service",
  "ticket.issued": "Issued at {time}",

  // Satisfaction survey (citizen's page; protocol 000 §9.1.B–C)
  "survey.title": "Satisfaction survey",
  "survey.intro": "Please rate the service you received. There are five questions and it will take you less than a minute.",
  "survey.scaleHint": "1 means very dissatisfied and 5 means very satisfied.",
  "survey.q.overall": "Overall, how satisfied are you with the service you received?",
  "survey.q.attention": "How satisfied are you with the service you received during your visit?",
  "survey.q.clarity": "How satisfied are you with the clarity of the information you were given about your request?",
  "survey.q.wait_time": "How satisfied are you with the time you waited to be served at the counter?",
  "survey.q.response_time": "How satisfied are you with the time taken to deal with your request?",
  "survey.scale": ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied"],
  "survey.chosen": "Your answer: {label}",
  "survey.notChosen": "Touch a face to answer.",
  "survey.dimensions": "Tell us a little more",
  "survey.comment": "Comment (optional)",
  "survey.commentHint": "If you wish, tell us what we could improve or what you liked.",
  "survey.count": "{n} of {max} characters",
  "survey.caseType": "What kind of comment is it? (optional)",
  "survey.caseNone": "None",
  "survey.caseTypes": [
    ["queja", "Complaint"], ["asesoria", "Request for advice"], ["sugerencia", "Suggestion"],
    ["felicitacion", "Compliment"], ["denuncia", "Report of wrongdoing"], ["peticion", "Petition"],
  ],
  "survey.submit": "Send my answers",
  "survey.sending": "Sending…",
  "survey.missing": "Still to answer: {questions}. Touch a face for each question.",
  "survey.missingOne": "question {n}",
  "survey.thanks": "Thank you for your feedback!",
  "survey.thanksText": "Your answers help us improve our service.",
  "survey.closed": "The time to answer this survey has ended",
  "survey.closedText": "Thank you all the same. If you would like to leave a comment, you can do so at the office.",

  // The organisation (admins)
  "org.title": "The organisation",
  "org.signInHint": "Administrators only: every office on one page.",
  "org.onlyAdmins": "Only administrators see the whole organisation; use the supervisor's dashboard for your office.",
  "org.offices": "Offices",
  "org.officesTitle": "The offices today",
  "org.office": "Office",
  "org.countersOpen": "Counters open",
  "org.paused": "Paused",
  "org.waiting": "Waiting",
  "org.longest": "Longest wait",
  "org.served": "Served today",
  "org.within": "Within target",
  "org.satisfaction": "Satisfaction today (answers)",
  "org.closed": "Closed",
  "org.minutes": "{minutes} min",
  "org.reportTitle": "The whole organisation's report",
  "org.reportHint": "Every office's figures together, with the same breakdowns as an office's report and a row per office. Counters are named with their office.",
  "org.alerts": "Alerts",
  "org.noAlerts": "None",
  "org.updated": "Updated at {time}.",

  // Supervisor dashboard
  "sup.title": "Supervisor dashboard",
  "sup.signIn": "Sign in",
  "sup.signInHint": "For supervisors and administrators only.",
  "sup.notAllowed": "Your account ({user}) is for counter work and cannot view this dashboard. Ask a supervisor for access or use the counter console.",
  "sup.toConsole": "Go to the counter console",
  "sup.sessionEnded": "Your session has ended. Please sign in again.",
  "sup.signOut": "Sign out",
  "sup.office": "Office",
  "sup.pickOffice": "Choose the office",
  "sup.tabLive": "Today, live",
  "sup.tabReport": "Report",
  "sup.live": "Live",
  "sup.updated": "Updated at {time}",
  "sup.waitingNow": "Waiting now",
  "sup.longestWait": "Longest wait",
  "sup.longestNone": "No one waiting",
  "sup.countersOpen": "Counters open",
  "sup.countersPaused": "Paused",
  "sup.countersClosed": "Closed",
  "sup.servedToday": "Served today",
  "sup.waitingByService": "Waiting by service",
  "sup.colService": "Service",
  "sup.colWaiting": "Waiting",
  "sup.colPreferential": "Priority",
  "sup.colLongest": "Longest wait",
  "sup.colEstimated": "Estimated wait",
  "sup.counters": "Counters",
  "sup.currentTurn": "Ticket {code}",
  "sup.noTurn": "No ticket",
  "sup.pauseReason": "Reason: {reason}",
  "sup.callsPerHour": "Tickets per hour today",
  "sup.callsPerHourDesc": "Tickets issued, called and served in each hour of the day (by time of issue).",
  "sup.lastCalls": "Recent calls",
  "sup.noCalls": "No calls yet today.",
  "sup.from": "From",
  "sup.to": "To",
  "sup.show": "Show report",
  "sup.csv": "Download CSV",
  "sup.csvReady": "Download ready.",
  "sup.loading": "Loading…",
  "sup.range": "Report from {from} to {to}",
  "sup.rangeOne": "Report for {from}",
  "sup.turns": "Tickets",
  "sup.issued": "Issued",
  "sup.called": "Called",
  "sup.served": "Served",
  "sup.noShow": "No-shows",
  "sup.transferred": "Transferred",
  "sup.alertsTitle": "Alerts",
  "sup.alertsNone": "No alerts: everything as expected.",
  "sup.alertsSoundOn": "Alert sound: on",
  "sup.alertsSoundOff": "Alert sound: muted",
  "sup.forecastTitle": "Next hour (forecast)",
  "sup.forecastService": "Service",
  "sup.forecastWait": "Expected wait",
  "sup.forecastWithin": "Within target",
  "sup.forecastAdvice": "What to do",
  "sup.forecastOnTarget": "On target: nothing to do.",
  "sup.forecastMinutes": "{minutes} min",
  "sup.smsFailing": "Citizens' SMS messages have been failing since {since} ({error}). {pending} waiting to be retried, {failed} lost today. Check the gateway or call support.",
  "sup.snoozed": "Asked for a few minutes",
  "sup.expired": "Expired",
  "sup.cancelled": "Cancelled",
  "sup.wait": "Wait",
  "sup.service": "Service at the counter",
  "sup.mean": "Average",
  "sup.p50": "Median",
  "sup.p90": "90th percentile",
  "sup.max": "Maximum",
  "sup.satisfaction": "Satisfaction",
  "sup.index": "Index (1 to 5)",
  "sup.responses": "Responses",
  "sup.responseRate": "Response rate",
  "sup.dissatisfied": "Dissatisfied (below 3)",
  "sup.topShare": "Very satisfied",
  "sup.withinTarget": "Served within the target wait",
  "sup.outcomes": "What happened to the tickets",
  "sup.outcomesDesc": "Tickets issued, by how they ended.",
  "sup.other": "Other (waiting or in progress)",
  "sup.perHour": "Tickets per hour",
  "sup.perHourDesc": "Tickets issued, called and served, by the hour they were issued.",
  "sup.waitByService": "Wait by service (minutes)",
  "sup.waitByServiceDesc": "Median and 90th percentile of the wait, in minutes, for each service.",
  "sup.waitByServiceSec": "Wait by service (seconds)",
  "sup.waitByServiceDescSec": "Median and 90th percentile of the wait, in seconds, for each service.",
  "sup.satByQuestion": "Satisfaction by question (1 to 5)",
  "sup.satByQuestionDesc": "Average of the answers to each question, on a scale from 1 (very dissatisfied) to 5 (very satisfied).",
  "sup.q.overall": "Overall",
  "sup.q.attention": "Service during the visit",
  "sup.q.clarity": "Clarity of the information",
  "sup.q.wait_time": "Waiting time",
  "sup.q.response_time": "Response time",
  "sup.tabAudit": "Staff actions",
  "sup.auditTitle": "What the staff did",
  "sup.auditDay": "Day",
  "sup.auditUser": "User",
  "sup.auditAction": "Action",
  "sup.auditEvery": "All",
  "sup.auditAt": "Time",
  "sup.auditDetail": "About",
  "sup.auditAddress": "From",
  "sup.auditNone": "No actions that day with these filters.",
  "sup.auditOne": "1 action.",
  "sup.auditMany": "{n} actions.",
  "sup.audit.sign_in": "Signed in",
  "sup.audit.sign_out": "Signed out",
  "sup.audit.take_over": "Took over a counter",
  "sup.audit.out_of_order_call": "Called out of order",
  "sup.audit.no_show_undone": "Undid a no-show",
  "sup.audit.bulk_cancel": "Cancelled turns in bulk",
  "sup.audit.reprint": "Reprinted a ticket",
  "sup.auditShow": "Show actions",
  "sup.role.agent": "Agent",
  "sup.role.supervisor": "Supervisor",
  "sup.role.admin": "Administrator",
  "sup.byOffice": "By office",
  "sup.byService": "By service",
  "sup.byCategory": "By category",
  "sup.byClass": "Priority and general",
  "sup.byCounter": "By counter",
  "sup.byAgent": "By agent",
  "sup.byHour": "By hour",
  "sup.colName": "Name",
  "sup.colIssued": "Issued",
  "sup.colServed": "Served",
  "sup.colNoShow": "No-shows",
  "sup.colWaitP50": "Median wait",
  "sup.colWaitP90": "p90 wait",
  "sup.colServiceP50": "Median service time",
  "sup.colSat": "Satisfaction",
  "sup.colIdle": "Idle time",
  "sup.colPause": "Paused",
  "sup.fairness": "Fairness of the order of attention",
  "sup.fairOutOfOrder": "Calls out of order by agent and reason",
  "sup.colAgent": "Agent",
  "sup.fairNotes": "Notes",
  "sup.fairNone": "There were no calls out of order.",
  "sup.fairPrefShare": "Preferential calls",
  "sup.fairPolicy": "Policy",
  "sup.fairStrict": "Strict priority (no cap)",
  "sup.fairCap": "Up to {k} in a row ({share} at most)",
  "sup.fairStreak": "Longest run of preferential calls while general tickets waited",
  "sup.fairBehind": "Longest wait of a general ticket behind preferential ones",
  "sup.fairBehindValue": "{code} ({day}): {minutes} min, {n} preferential tickets went first",
  "sup.fairSkipped": "Tickets skipped by calls out of order",
  "sup.fairSkippedValue": "{turns} tickets, {times} times",
  "sup.fairSkippedList": "Skipped tickets that waited longest",
  "sup.fairColTurn": "Ticket",
  "sup.fairColUntilCalled": "From the first skip to its call",
  "sup.fairNotCalled": "not called",
  "sup.pauses": "Pauses",
  "sup.colReason": "Reason",
  "sup.colCount": "Times",
  "sup.colTotal": "Total time",
  "sup.cases": "Cases received through the survey",
  "sup.colCaseType": "Type",
  "sup.empty": "No data for this period.",
  "sup.none": "—",
  "sup.badRange": "Choose both dates of the period.",

  // Landing page
  "index.title": "Turnero — demo",
  "index.tagline": "Tickets and counter service for public-service offices.",
  "index.officeNote": "Demo office:",
  "index.display.title": "Lobby screen",
  "index.display.text": "For the waiting-room TV: the ticket called, the counter and the latest calls, announced aloud.",
  "index.display.open": "Open the screen",
  "index.kiosk.title": "Ticket kiosk",
  "index.kiosk.text": "The touch screen at the entrance: the visitor chooses a service and gets a ticket with a QR code.",
  "index.kiosk.open": "Open the kiosk",
  "index.agent.title": "Counter console",
  "index.agent.text": "For the agent: call next, call again, serve, transfer and pause. Users {first} to {last}, password {password}.",
  "index.agent.open": "Open the console",
  "index.supervisor.title": "Supervisor dashboard",
  "index.supervisor.text": "The office live today and the period's report: waits, service, no-shows and satisfaction, with a CSV download. User {user}, password {password}.",
  "index.supervisor.open": "Open the dashboard",
  "index.ticket.title": "Visitor's page",
  "index.ticket.text": "Opened from the ticket's QR code on a phone: position, wait, an alert when called and, at the end, the satisfaction survey.",
  "index.ticket.open": "Take a ticket to see it",
  "index.tour.title": "A tour of the demo",
  "index.tour.1": "Open the lobby screen in a window and touch it once to turn on sound.",
  "index.tour.2": "At the kiosk, choose a service and answer whether you need priority service.",
  "index.tour.3": "Scan the ticket's QR code (or open it in another tab) to follow the ticket.",
  "index.tour.4": "In the console, sign in as {user}, choose a counter and press “Call next”.",
  "index.tour.5": "When the service ends, the visitor's page shows the satisfaction survey.",
  "index.tour.6": "In the supervisor dashboard, see the office live and the day's report.",
};

/** The English pack. */
export default {
  code,
  name,
  strings,
  numberToWords,
  spokenCode,
  spokenPlace,
  spokenCall,
  waitText,
  shortDuration,
  people,
  responses,
};
