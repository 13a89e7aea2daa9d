// What every screen shares: talking to the API, the live feed (the display WebSocket,
// reconnecting by itself), clocks and small DOM helpers.
import { t, current } from "./i18n.js";

/** An API error: `message` is the server's sentence for people, shown as it is. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls `/api/v1{path}`; resolves to the JSON body (null for 204), rejects with ApiError. */
export async function api(path, { method = "GET", body, token, timeout = 10000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  // The API answers in the page's language: its sentences, the office's names.
  const headers = { Accept: "application/json", "Accept-Language": current() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "network", t("error.network"));
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || `http_${response.status}`, error.message || t("error.generic"));
  }
  return data;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Creates an element: el("p", {class: "x"}, "text", child…). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "html") node.innerHTML = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The path segment after `prefix` (e.g. the office in /display/central). */
export function pathParam(index) {
  const parts = location.pathname.split("/").filter(Boolean);
  return decodeURIComponent(parts[index] || "");
}

/** A date/time formatter in the office's time zone (the device's if that one is unknown). */
export function formatter(timeZone, options) {
  try {
    return new Intl.DateTimeFormat(current(), { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(current(), options);
  }
}

/** Seconds since an RFC 3339 time. */
export const secondsSince = (iso) => (iso ? Math.max(0, (Date.now() - Date.parse(iso)) / 1000) : 0);

/** "05:07" or "1:02:03" from seconds. */
export function clockDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * The office's live feed: the display WebSocket, reconnected with exponential backoff
 * (1 s doubling to 30 s, with jitter) whenever it drops. A probe of /healthz every 30 s
 * catches connections that died without a close (a pulled cable) and reconnects at once
 * when the server answers again. Every (re)connection starts with a snapshot.
 *
 * onMessage(msg) gets each parsed message; onStatus(online, retryMs) the connection state.
 */
export class LiveFeed {
  constructor(office, { services = "", onMessage = () => {}, onStatus = () => {} } = {}) {
    this.office = office;
    this.services = services;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.ws = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.probeTimer = null;
    this.online = false;
    this.stopped = true;
    this.onBrowserOnline = () => this.reconnectNow();
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener("online", this.onBrowserOnline);
    this.probeTimer = setInterval(() => this.probe(), 30000);
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.online = false;
    window.removeEventListener("online", this.onBrowserOnline);
    clearInterval(this.probeTimer);
    clearTimeout(this.retryTimer);
    this.drop();
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const query = this.services ? `?services=${encodeURIComponent(this.services)}` : "";
    return `${scheme}://${location.host}/api/v1/offices/${encodeURIComponent(this.office)}/display${query}`;
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.drop();
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setOnline(true);
    };
    ws.onmessage = (event) => {
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        return;
      }
      this.onMessage(msg);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      // A feed whose server closes it normally has said everything (a turn's own feed,
      // once the turn has ended): it is not reconnected.
      if (event.code === 1000 && this.endsOnNormalClose) return this.stop();
      this.scheduleRetry();
    };
    ws.onerror = () => {};
  }

  /** Forgets the current socket without letting its events fire. */
  drop() {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close();
    } catch {
      /* already closed */
    }
  }

  scheduleRetry() {
    if (this.stopped) return;
    const base = Math.min(30000, 1000 * 2 ** this.attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt = Math.min(this.attempt + 1, 10);
    this.setOnline(false, delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.stopped) return;
    this.attempt = 0;
    this.connect();
  }

  async probe() {
    let alive = false;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 8000);
    try {
      const response = await fetch("/healthz", { cache: "no-store", signal: controller.signal });
      alive = response.ok;
    } catch {
      alive = false;
    } finally {
      clearTimeout(timer);
    }
    if (this.stopped) return;
    const open = this.ws && this.ws.readyState === WebSocket.OPEN;
    if (!alive && open) {
      // The socket looks open but the server cannot be reached: start over.
      this.drop();
      this.scheduleRetry();
    } else if (alive && !this.ws) {
      this.reconnectNow();
    }
  }

  setOnline(online, retryMs = 0) {
    this.online = online;
    this.onStatus(online, retryMs);
  }
}

/** Runs `fn` once, `ms` after the first of a burst of calls (never starved by bursts). */
export function coalesce(fn, ms) {
  let timer = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
}

/** When a closed office opens again, said to a citizen ("Volvemos a atender el lunes…"),
 * from its JSON (`next_opening`, `timezone`); the hours at the entrance when it never does. */
export function nextOpeningText(office) {
  if (!office.next_opening) return t("kiosk.closedNoDate");
  const when = formatter(office.timezone, {
    weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", hour12: false,
  }).format(new Date(office.next_opening));
  return t("kiosk.nextOpening", { when });
}
