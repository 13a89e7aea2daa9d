// The citizen's page's service worker: it exists so that a phone (Android's Chrome among
// them, which shows notifications only through one) can show "Su turno está próximo" and
// "Lo llaman", so that touching the notification brings the turn's page back, and so
// that the office's Web Push messages reach a phone whose page is closed. It caches
// nothing and answers no request: every page comes from the server as it is.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** The turn's page a message or notification names: only this site's `/t/<token>`. */
function turnPage(url) {
  try {
    const page = new URL(url, self.location.origin);
    return page.origin === self.location.origin && page.pathname.startsWith("/t/") ? page.pathname : null;
  } catch {
    return null;
  }
}

// A Web Push message from the server (src/webpush): {kind, title, body, url, lang}, in
// the turn's language. One notification per turn (its tag, the same the open page
// uses), so "called" replaces "near"; "called" stays until touched and vibrates long.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = {};
  }
  const page = turnPage(message.url) || "/t/";
  const called = message.kind === "called";
  const options = {
    body: typeof message.body === "string" ? message.body : "",
    tag: `turn:${page}`,
    renotify: true,
    requireInteraction: called,
    vibrate: called ? [600, 200, 600, 200, 600] : [200, 100, 200],
    lang: typeof message.lang === "string" ? message.lang : "",
    data: { url: page },
  };
  const title = typeof message.title === "string" && message.title ? message.title : "Turnero";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((pages) => {
      // The turn's page in front of the citizen says it itself, louder; a browser lets
      // a message show nothing only then.
      const watching = pages.some((p) => turnPage(p.url) === page && p.visibilityState === "visible" && p.focused);
      return watching ? undefined : self.registration.showNotification(title, options);
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const wanted = (event.notification.data && turnPage(event.notification.data.url)) || null;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((pages) => {
      const page = wanted ? pages.find((p) => turnPage(p.url) === wanted) : pages.find((p) => turnPage(p.url));
      if (page) return page.focus();
      // The page was closed (a push message): open the turn's page again.
      return wanted ? self.clients.openWindow(wanted) : undefined;
    }),
  );
});
