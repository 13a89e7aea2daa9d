// The language of the screens: one pack per language under ../i18n/. Spanish is the
// only one today; another is added by writing its pack and choosing it here.
import es from "../i18n/es.js";

const packs = { es };
const pack = packs[document.documentElement.lang] || es;

/** The text for a key, with `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = pack.strings[key];
  if (text === undefined) return key;
  if (typeof text !== "string") return text;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

export const lang = pack;

/** The pack of a language code ("es", "en"), Spanish when there is none for it. */
export function packFor(code) {
  return packs[code] || es;
}
