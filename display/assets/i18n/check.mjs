// Checks that the language packs beside this file mirror es.js: the same exports (with
// the same number of arguments), the same keys in `strings`, the same kind of value per
// key (text or list, lists of the same length, the same ids in the survey's case types)
// and the same {placeholders} in every text. Then a few English samples.
//
//   node display/assets/i18n/check.mjs        exit 0 when all agree, 1 with a list
//
// The packs are plain browser modules (no package.json says "type": "module"), so each
// is loaded from its source as a data: URL rather than by path.

import { readFile, readdir } from "node:fs/promises";

const here = new URL(".", import.meta.url);

async function load(file) {
  const source = await readFile(new URL(file, here), "utf8");
  return import("data:text/javascript;charset=utf-8," + encodeURIComponent(source));
}

const placeholders = (text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(",");
const kind = (v) => (Array.isArray(v) ? "list" : typeof v);

/** Every difference between a pack and the Spanish one, as sentences. */
function differences(es, other, file) {
  const problems = [];
  const say = (text) => problems.push(`${file}: ${text}`);

  const exports = (m) => Object.keys(m).filter((k) => k !== "default").sort();
  const defaults = (m) => Object.keys(m.default || {}).sort();
  for (const [what, names] of [["export", exports], ["default export's member", defaults]]) {
    const a = new Set(names(es));
    const b = new Set(names(other));
    for (const n of a) if (!b.has(n)) say(`missing ${what} ${n}`);
    for (const n of b) if (!a.has(n)) say(`${what} ${n} that es.js does not have`);
  }
  for (const n of exports(es)) {
    if (!(n in other)) continue;
    if (kind(es[n]) !== kind(other[n])) say(`${n} is a ${kind(other[n])}, in es.js a ${kind(es[n])}`);
    else if (typeof es[n] === "function" && es[n].length !== other[n].length) {
      say(`${n} takes ${other[n].length} argument(s), in es.js ${es[n].length}`);
    }
  }
  for (const n of defaults(es)) {
    if (n in other.default && n in other && other.default[n] !== other[n]) say(`default.${n} is not the exported ${n}`);
  }

  const a = es.strings || {};
  const b = other.strings || {};
  for (const k of Object.keys(a)) if (!(k in b)) say(`missing key ${k}`);
  for (const k of Object.keys(b)) if (!(k in a)) say(`key ${k} that es.js does not have`);
  for (const k of Object.keys(a)) {
    if (!(k in b)) continue;
    const [x, y] = [a[k], b[k]];
    if (kind(x) !== kind(y)) {
      say(`${k} is a ${kind(y)}, in es.js a ${kind(x)}`);
      continue;
    }
    const texts = (v) => (Array.isArray(v) ? v.flat(Infinity) : [v]);
    if (Array.isArray(x)) {
      if (x.length !== y.length) {
        say(`${k} has ${y.length} items, in es.js ${x.length}`);
        continue;
      }
      // Lists of [id, label] pairs: the ids are data (sent to the API), never translated.
      const ids = (v) => v.filter(Array.isArray).map((p) => p[0]).join(",");
      if (ids(x) !== ids(y)) say(`${k} has ids ${ids(y)}, in es.js ${ids(x)}`);
    }
    const [tx, ty] = [texts(x), texts(y)];
    tx.forEach((t, i) => {
      const [px, py] = [placeholders(t), placeholders(ty[i])];
      if (px !== py) say(`${k}${Array.isArray(x) ? `[${i}]` : ""} has placeholders {${py}}, in es.js {${px}}`);
      if (String(t).trim() !== "" && String(ty[i] ?? "").trim() === "") say(`${k}${Array.isArray(x) ? `[${i}]` : ""} is empty`);
    });
  }
  return problems;
}

/** What the English pack must say, for the functions whose grammar differs most. */
function englishSamples(en) {
  const problems = [];
  const expect = (what, run, want) => {
    let got;
    try {
      got = run();
    } catch (error) {
      problems.push(`en.js: ${what} fails: ${error.message}`);
      return;
    }
    if (got !== want) problems.push(`en.js: ${what} gives ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  };
  const words = {
    0: "zero", 7: "seven", 13: "thirteen", 20: "twenty", 23: "twenty-three", 99: "ninety-nine",
    100: "one hundred", 105: "one hundred five", 342: "three hundred forty-two",
    1000: "one thousand", 1001: "one thousand one", 21000: "twenty-one thousand",
    1000000: "one million", 2500017: "two million five hundred thousand seventeen", "-4": "minus four",
    3000000042: "three billion forty-two",
  };
  for (const [n, w] of Object.entries(words)) expect(`numberToWords(${n})`, () => en.numberToWords(Number(n)), w);
  expect('spokenCode("A-023")', () => en.spokenCode("A-023"), "A, twenty-three");
  expect('spokenCode("AB-7")', () => en.spokenCode("AB-7"), "A, B, seven");
  expect('spokenPlace("Counter 3")', () => en.spokenPlace("Counter 3"), "to counter three");
  expect('spokenPlace("Desk A1")', () => en.spokenPlace("Desk A1"), "to desk A one");
  expect('spokenPlace("Information desk")', () => en.spokenPlace("Information desk"), "to the information desk");
  expect("spokenCall", () => en.spokenCall({ code: "A-023", counter_name: "Counter 3" }), "Ticket A, twenty-three, please go to counter three.");
  expect("spokenCall (recall)", () => en.spokenCall({ code: "B-7", counter: "Room B", recall: true }), "Calling again. Ticket B, seven, please go to room B.");
  expect("people(0)", () => en.people(0), "no one");
  expect("people(1)", () => en.people(1), "1 person");
  expect("people(2)", () => en.people(2), "2 people");
  expect("responses(1)", () => en.responses(1), "1 response");
  expect("responses(2)", () => en.responses(2), "2 responses");
  expect("responses(1234)", () => en.responses(1234), "1,234 responses");
  expect("waitText(null)", () => en.waitText(null), "—");
  expect("waitText(30)", () => en.waitText(30), "less than a minute");
  expect("waitText(60)", () => en.waitText(60), "about a minute");
  expect("waitText(300)", () => en.waitText(300), "about 5 minutes");
  expect("waitText(3600)", () => en.waitText(3600), "about 1 hour");
  expect("waitText(3660)", () => en.waitText(3660), "about 1 hour and 1 minute");
  expect("waitText(7500)", () => en.waitText(7500), "about 2 hours and 5 minutes");
  expect("shortDuration(3900)", () => en.shortDuration(3900), "1 h 05 min");
  return problems;
}

const es = await load("es.js");
const others = (await readdir(here)).filter((f) => /^[a-z]{2,3}(-[A-Za-z0-9]+)?\.js$/.test(f) && f !== "es.js").sort();
const problems = [];
for (const file of others) problems.push(...differences(es, await load(file), file));
if (others.includes("en.js")) problems.push(...englishSamples(await load("en.js")));

if (problems.length) {
  console.error(`${problems.length} problem(s) in the language packs:`);
  for (const p of problems) console.error(`- ${p}`);
  process.exit(1);
}
console.log(`Language packs agree with es.js: ${others.join(", ") || "(none besides es.js)"}.`);
