// The office's slides at the side of the lobby display (display_slides in the office's
// configuration; GET /offices/{office}/slides): its images in turn, cross-faded. Shown
// only when the office has some, and not on a screen opened with slides=0.
//
// Two <img> layers, whatever the number of slides: the next image loads in the hidden
// layer and fades in when it is ready, so memory stays bounded and an image that fails
// to load is skipped instead of showing a broken picture.
import { t } from "./i18n.js";
import { $, api } from "./common.js";

// The list is asked again this often, so slides copied into the folder appear by
// themselves.
const REFRESH_MS = 5 * 60 * 1000;

let slides = [];
let seconds = 10;
let index = -1;
let front = 0; // which layer shows
let timer = null;

// What a person reads of an image: its file name without the extension and without
// the ordering number in front ("02 Horario de atención.png" → "Horario de atención").
export function slideText(name) {
  return name.replace(/\.[^.]+$/, "").replace(/^[\d\s._-]+/, "").replace(/[_]+/g, " ").trim();
}

function layers() {
  return [...document.querySelectorAll("#slides img")];
}

function show(next) {
  const slide = slides[next];
  if (!slide) return;
  const imgs = layers();
  const back = imgs[1 - front];
  back.onload = () => {
    back.onload = back.onerror = null;
    index = next;
    back.alt = slideText(slide.name);
    back.classList.add("on");
    back.removeAttribute("aria-hidden");
    imgs[front].classList.remove("on");
    imgs[front].setAttribute("aria-hidden", "true");
    front = 1 - front;
    $("#slides").dataset.slide = slide.name;
  };
  back.onerror = () => {
    back.onload = back.onerror = null;
    // Skipped; the next one is tried at the next turn.
    index = next;
  };
  back.src = slide.url;
}

function rotate() {
  clearTimeout(timer);
  if (slides.length > 1 || index < 0) show((index + 1) % slides.length);
  timer = setTimeout(rotate, seconds * 1000);
}

function apply(list, secs) {
  const same = JSON.stringify(list) === JSON.stringify(slides);
  slides = list;
  seconds = Math.max(1, Number(secs) || 10);
  const on = slides.length > 0;
  $("#slides").hidden = !on;
  document.body.classList.toggle("with-slides", on);
  if (!on) {
    clearTimeout(timer);
    index = -1;
    return;
  }
  if (!same) {
    if (index >= slides.length) index = -1;
    rotate();
  }
}

/** Starts the side area; `onLayout` runs when it appears or goes (the board changes). */
export async function startSlides(office, params, onLayout = () => {}) {
  if (params.get("slides") === "0") return;
  $("#slides").setAttribute("aria-label", t("display.slides"));
  const load = async () => {
    try {
      const data = await api(`/offices/${encodeURIComponent(office)}/slides`);
      const before = document.body.classList.contains("with-slides");
      apply(Array.isArray(data.slides) ? data.slides : [], data.seconds);
      if (before !== document.body.classList.contains("with-slides")) onLayout();
    } catch {
      // No list now (offline, an older server): the board stays as it is until next time.
    }
  };
  await load();
  setInterval(load, REFRESH_MS);
}
