// The demo's front page: its links point to the configured office (the first one when
// several are configured), and its texts are in the browser's language.
import { t, applyTexts } from "./i18n.js";

/** Fills a `data-t-codes` element: the text of its key, with each `{name}` placeholder
 * the element's `data-name` value set as code (a username, a password). */
function withCodes(node) {
  const parts = t(node.dataset.tCodes).split(/\{(\w+)\}/);
  node.replaceChildren(
    ...parts.map((part, i) => {
      if (i % 2 === 0) return document.createTextNode(part);
      const code = document.createElement("code");
      code.textContent = node.dataset[part] ?? `{${part}}`;
      return code;
    }),
  );
}

applyTexts();
document.querySelectorAll("[data-t-codes]").forEach(withCodes);
document.title = t("index.title");

try {
  const offices = await (await fetch("/api/v1/offices")).json();
  const office = offices.find((o) => o.id === "central") || offices[0];
  if (office) {
    document.getElementById("office-name").textContent = office.name;
    document.getElementById("link-display").href = `/display/${office.id}`;
    document.getElementById("link-kiosk").href = `/kiosk/${office.id}`;
    document.getElementById("link-ticket").href = `/kiosk/${office.id}`;
  }
} catch {
  /* the links keep the demo office */
}
