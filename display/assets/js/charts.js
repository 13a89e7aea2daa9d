// Small charts as inline SVG, drawn in plain JavaScript (no library, no build step).
// Each chart is a <figure> with an <svg role="img"> carrying <title> and <desc>, and the
// same numbers in a table (visually hidden, or shown by the caller) so that nobody needs
// to read a picture. Colours pass WCAG AA against white (3:1 for graphics, 4.5:1 for text).

import { current } from "./i18n.js";

const NS = "http://www.w3.org/2000/svg";
let uid = 0;

/** The chart palette (series order). */
export const COLORS = ["#0b4f6c", "#b35c00", "#1d6b3a", "#5b2a86", "#a1261d", "#3d4d5c"];

function svgEl(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    // Styles through the CSSOM: the Content-Security-Policy refuses style attributes.
    if (k === "style") node.style.cssText = String(v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function htmlEl(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    // Styles through the CSSOM: the Content-Security-Policy refuses style attributes.
    else if (k === "style") node.style.cssText = v;
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** An axis tick: at most two decimals, Spanish separators. */
export const tickText = (v) => new Intl.NumberFormat(current(), { maximumFractionDigits: 2 }).format(v);

/** A "nice" upper bound for an axis: 1, 2, 2.5, 5 × 10^n at or above `max`. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(max)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * exp >= max) return m * exp;
  }
  return 10 * exp;
}

function frame(title, desc, width, height) {
  const id = `chart-${++uid}`;
  const svg = svgEl("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-labelledby": `${id}-t ${id}-d`,
    class: "chart",
    preserveAspectRatio: "xMidYMid meet",
  });
  svg.append(svgEl("title", { id: `${id}-t` }, title), svgEl("desc", { id: `${id}-d` }, desc));
  return svg;
}

/** The data table that goes with a chart (visually hidden unless `visible`). */
function dataTable(caption, head, rows, visible = false) {
  return htmlEl(
    "table",
    { class: visible ? "chart-table" : "chart-table sr-only" },
    htmlEl("caption", {}, caption),
    htmlEl("thead", {}, htmlEl("tr", {}, head.map((h) => htmlEl("th", { scope: "col" }, h)))),
    htmlEl(
      "tbody",
      {},
      rows.map((r) => htmlEl("tr", {}, r.map((c, i) => htmlEl(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : {}, c)))),
    ),
  );
}

function legend(series) {
  return htmlEl(
    "ul",
    { class: "chart-legend", "aria-hidden": "true" },
    series.map((s, i) => htmlEl("li", {}, htmlEl("span", { class: "swatch", style: `background:${s.color || COLORS[i]}` }), s.label)),
  );
}

function figure(kind, svg, table, series) {
  return htmlEl("figure", { class: `chart-figure chart-${kind}` }, svg, series ? legend(series) : null, table);
}

/**
 * Vertical bars, one group per category, one bar per series.
 * opts: {title, desc, categories: [label], series: [{label, values: [n], color}], format, unit}
 */
export function barChart({ title, desc, categories, series, format = String, tickFormat = tickText, integer = false, width = 640, height = 260 }) {
  const svg = frame(title, desc, width, height);
  const left = 44;
  const right = 8;
  const top = 12;
  const bottom = 34;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const all = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  let max = niceMax(Math.max(0, ...all));
  if (integer) max = 4 * Math.max(1, Math.ceil(max / 4));
  // Grid lines and the value axis.
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = top + plotH - (plotH * i) / 4;
    svg.append(svgEl("line", { x1: left, x2: width - right, y1: y, y2: y, class: i ? "grid" : "axis" }));
    svg.append(svgEl("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "tick" }, tickFormat(v)));
  }
  const groupW = plotW / Math.max(1, categories.length);
  const barW = Math.max(2, Math.min(46, (groupW * 0.78) / Math.max(1, series.length)));
  const every = Math.ceil(categories.length / Math.max(1, Math.floor(plotW / 44)));
  categories.forEach((cat, ci) => {
    const gx = left + ci * groupW + (groupW - barW * series.length) / 2;
    series.forEach((s, si) => {
      const v = s.values[ci];
      if (!Number.isFinite(v)) return;
      const h = (plotH * v) / max;
      const x = gx + si * barW;
      svg.append(
        svgEl(
          "rect",
          { x, y: top + plotH - h, width: Math.max(1, barW - 2), height: Math.max(0, h), fill: s.color || COLORS[si], class: "bar" },
          svgEl("title", {}, `${cat} · ${s.label}: ${format(v)}`),
        ),
      );
    });
    if (ci % every === 0) {
      svg.append(svgEl("text", { x: left + ci * groupW + groupW / 2, y: height - bottom + 18, "text-anchor": "middle", class: "tick" }, cat));
    }
  });
  const table = dataTable(title, ["", ...series.map((s) => s.label)], categories.map((c, i) => [c, ...series.map((s) => (Number.isFinite(s.values[i]) ? format(s.values[i]) : "—"))]));
  return figure("bar", svg, table, series.length > 1 ? series : null);
}

/**
 * Horizontal bars on a fixed scale (e.g. satisfaction 1–5): one row per item.
 * opts: {title, desc, items: [{label, value}], min, max, format}
 */
export function hbarChart({ title, desc, items, min = 0, max, format = String, width = 640, labelWidth = 240, color = COLORS[0] }) {
  const rowH = 34;
  const top = 8;
  const bottom = 26;
  const height = top + bottom + rowH * Math.max(1, items.length);
  const svg = frame(title, desc, width, height);
  const left = labelWidth;
  const right = 44;
  const plotW = width - left - right;
  const top2 = max ?? niceMax(Math.max(0, ...items.map((i) => i.value).filter(Number.isFinite)));
  const x = (v) => left + (plotW * (v - min)) / (top2 - min);
  for (let v = min; v <= top2; v += (top2 - min) / 4) {
    svg.append(svgEl("line", { x1: x(v), x2: x(v), y1: top, y2: height - bottom, class: v === min ? "axis" : "grid" }));
    svg.append(svgEl("text", { x: x(v), y: height - bottom + 17, "text-anchor": "middle", class: "tick" }, format(v)));
  }
  items.forEach((item, i) => {
    const y = top + i * rowH;
    svg.append(svgEl("text", { x: left - 8, y: y + rowH / 2 + 5, "text-anchor": "end", class: "label" }, item.label));
    if (!Number.isFinite(item.value)) {
      svg.append(svgEl("text", { x: left + 6, y: y + rowH / 2 + 5, class: "value" }, "—"));
      return;
    }
    const w = Math.max(0, x(item.value) - left);
    svg.append(
      svgEl("rect", { x: left, y: y + 6, width: w, height: rowH - 12, fill: item.color || color, class: "bar" }, svgEl("title", {}, `${item.label}: ${format(item.value)}`)),
      svgEl("text", { x: left + w + 6, y: y + rowH / 2 + 5, class: "value" }, format(item.value)),
    );
  });
  const table = dataTable(title, ["", title], items.map((i) => [i.label, Number.isFinite(i.value) ? format(i.value) : "—"]));
  return figure("hbar", svg, table);
}

/**
 * One horizontal stacked bar: parts of a whole (e.g. what became of the turns).
 * opts: {title, desc, parts: [{label, value, color}], format}
 */
export function stackedBar({ title, desc, parts, format = String, width = 640, height = 64 }) {
  const svg = frame(title, desc, width, height);
  const total = parts.reduce((a, p) => a + (Number.isFinite(p.value) ? p.value : 0), 0);
  let x = 0;
  parts.forEach((p, i) => {
    if (!(p.value > 0) || !total) return;
    const w = (width * p.value) / total;
    const color = p.color || COLORS[i];
    svg.append(svgEl("rect", { x, y: 8, width: w, height: height - 16, fill: color, class: "bar" }, svgEl("title", {}, `${p.label}: ${format(p.value)}`)));
    if (w > 34) {
      svg.append(svgEl("text", { x: x + w / 2, y: height / 2 + 5, "text-anchor": "middle", class: "inbar" }, format(p.value)));
    }
    x += w;
  });
  if (!total) svg.append(svgEl("rect", { x: 0, y: 8, width, height: height - 16, class: "empty" }));
  const table = dataTable(title, ["", title], parts.map((p) => [p.label, format(p.value ?? 0)]));
  return figure("stacked", svg, table, parts.map((p, i) => ({ label: `${p.label}: ${format(p.value ?? 0)}`, color: p.color || COLORS[i] })));
}
