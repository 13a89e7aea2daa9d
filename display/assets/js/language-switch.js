// The language switch of the kiosk and the citizen's page: one button per language the
// office offers, each named in its own language ("Español", "English") so that a person
// who cannot read the current one still finds theirs. Hidden when there is only one.
import { t, current, known, packFor, onLanguageChange } from "./i18n.js";
import { el } from "./common.js";

const mounted = new WeakSet();

/** Fills `container` (a role=group element) with the switch for `offered` codes;
 * `choose(code)` is called when a button is pressed. Safe to call again with a new list. */
export function mountLanguageSwitch(container, offered, choose) {
  const codes = (offered || []).filter(known);
  const key = codes.join(" ");
  container._choose = choose;
  if (container.dataset.codes === key && mounted.has(container)) return;
  container.dataset.codes = key;
  // Buttons are made once per list and only their state follows the language, so a
  // finger on a button is never lost to a redraw.
  container.hidden = codes.length < 2;
  container.replaceChildren(
    ...codes.map((code) =>
      el(
        "button",
        {
          type: "button",
          class: "lang",
          lang: code,
          dataset: { lang: code },
          onclick: () => code !== current() && container._choose(code),
        },
        packFor(code).name,
      ),
    ),
  );
  const update = () => {
    container.setAttribute("aria-label", t("lang.switch"));
    for (const button of container.children) button.setAttribute("aria-pressed", String(button.dataset.lang === current()));
  };
  update();
  if (!mounted.has(container)) {
    mounted.add(container);
    onLanguageChange(update);
  }
}
