// The citizen's page's service worker: it exists so that a phone (Android's Chrome among
// them, which shows notifications only through one) can show "Su turno está próximo" and
// "Lo llaman", and so that touching the notification brings the turn's page back. It
// caches nothing and answers no request: every page comes from the server as it is.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((pages) => {
      const page = pages.find((p) => new URL(p.url).pathname.startsWith("/t/"));
      return page ? page.focus() : undefined;
    }),
  );
});
