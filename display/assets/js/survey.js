// The satisfaction survey on the citizen's page (protocol 000 §9.1.B–C): the general
// question and four dimensions on a 1–5 scale with faces, an optional comment and an
// optional case type (the digital suggestion box). Native radio groups: arrow keys move
// within a question, Tab between questions; each choice is a big target for a thumb.
import { t } from "./i18n.js";
import { $, el, api } from "./common.js";

const QUESTIONS = ["overall", "attention", "clarity", "wait_time", "response_time"];
const FACE_COLORS = ["#a1261d", "#b3400f", "#7a5c00", "#2f6b1f", "#1d6b3a"];
// Mouth curves from a frown (1) to a broad smile (5).
const MOUTHS = ["M9 24 Q16 17 23 24", "M10 23 Q16 20 22 23", "M10 22 L22 22", "M10 21 Q16 25 22 21", "M9 20 Q16 28 23 20"];

const SVG_NS = "http://www.w3.org/2000/svg";

function face(value) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 32 32");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "face");
  svg.style.setProperty("--face", FACE_COLORS[value - 1]);
  svg.innerHTML =
    `<circle cx="16" cy="16" r="14" class="face-bg"/>` +
    `<circle cx="11" cy="13" r="1.9" class="face-eye"/><circle cx="21" cy="13" r="1.9" class="face-eye"/>` +
    `<path d="${MOUTHS[value - 1]}" class="face-mouth"/>`;
  return svg;
}

/**
 * Fills `root` with the survey of the ticket `token`. `ticket` is the ticket as the API
 * gave it (its status is the fallback when GET /survey does not exist).
 */
export async function mountSurvey(root, token, ticket) {
  if (root.dataset.mounted === token) return;
  root.dataset.mounted = token;
  const path = `/tickets/${encodeURIComponent(token)}/survey`;
  let info = null;
  try {
    info = await api(path);
  } catch (error) {
    // An older server without GET /survey: the static texts and the ticket's status.
    info = null;
  }
  const status = info && info.status ? info.status : ticket.status === "served" ? "open" : "not_served";
  render(root, status, info, path);
}

function setState(root, state) {
  root.dataset.state = state;
  document.body.dataset.survey = state;
}

function render(root, status, info, path) {
  const section = root.closest("section");
  const intro = $("#survey-text");
  if (status === "answered") return thanks(root);
  if (status === "closed") {
    setState(root, "closed");
    intro.hidden = true;
    root.replaceChildren(el("p", { class: "survey-end" }, el("strong", {}, t("survey.closed"))), el("p", {}, t("survey.closedText")));
    return;
  }
  if (status !== "open") {
    setState(root, "not_served");
    if (section) section.hidden = true;
    return;
  }
  intro.textContent = t("survey.intro");
  root.replaceChildren(form(root, info, path));
  setState(root, "open");
}

function thanks(root, message) {
  setState(root, "answered");
  $("#survey-text").hidden = true;
  const box = el(
    "div",
    { class: "survey-thanks", role: "status", tabindex: "-1", id: "survey-thanks" },
    face(5),
    el("p", { class: "thanks-title" }, t("survey.thanks")),
    el("p", {}, message || t("survey.thanksText")),
  );
  root.replaceChildren(box);
  return box;
}

function questionText(info, id) {
  const q = info && Array.isArray(info.questions) ? info.questions.find((q) => q && (q.id === id || q === id)) : null;
  return (q && (q.text || q.label || q.question)) || t(`survey.q.${id}`);
}

function scaleLabels(info) {
  const fallback = t("survey.scale");
  if (info && Array.isArray(info.scale) && info.scale.length === 5) {
    return info.scale.map((s, i) => (s && s.label) || fallback[i]);
  }
  return fallback;
}

function caseTypes(info) {
  if (info && Array.isArray(info.case_types) && info.case_types.length) {
    return info.case_types.filter((c) => c && c.id).map((c) => [c.id, c.label || c.id]);
  }
  return t("survey.caseTypes");
}

function question(info, id, index, labels) {
  const legendId = `q-${id}-legend`;
  const chosen = el("p", { class: "chosen", id: `q-${id}-chosen`, "aria-live": "polite" }, t("survey.notChosen"));
  const options = [1, 2, 3, 4, 5].map((v) =>
    el(
      "label",
      { class: "opt", "data-q": id, "data-v": v },
      el("input", { type: "radio", name: id, value: v, class: "opt-input", required: true }),
      el("span", { class: "opt-tile", "aria-hidden": "true" }, face(v), el("span", { class: "opt-num" }, v)),
      el("span", { class: "sr-only" }, `${v}, ${labels[v - 1]}`),
    ),
  );
  const fieldset = el(
    "fieldset",
    { class: `question${index === 0 ? " general" : ""}`, id: `q-${id}`, "data-q": id, "aria-describedby": `q-${id}-chosen` },
    el("legend", { id: legendId }, el("span", { class: "qnum", "aria-hidden": "true" }, `${index + 1}`), el("span", { class: "qtext" }, questionText(info, id))),
    el("div", { class: "scale" }, options),
    el("div", { class: "ends", "aria-hidden": "true" }, el("span", {}, labels[0]), el("span", {}, labels[4])),
    chosen,
  );
  fieldset.addEventListener("change", (e) => {
    const v = Number(e.target.value);
    chosen.textContent = t("survey.chosen", { label: labels[v - 1] });
    chosen.dataset.v = v;
    fieldset.classList.remove("missing");
    // A "missing answers" notice goes away once every question has its answer.
    const error = $("#survey-error");
    if (error && !error.hidden && !document.querySelector(".question.missing")) error.hidden = true;
  });
  return fieldset;
}

function form(root, info, path) {
  const labels = scaleLabels(info);
  const max = (info && Number(info.max_comment_chars)) || 500;
  const counter = el("p", { class: "count", id: "comment-count" }, t("survey.count", { n: 0, max }));
  const comment = el("textarea", { id: "comment", name: "comment", rows: 4, maxlength: max, "aria-describedby": "comment-hint comment-count" });
  comment.addEventListener("input", () => {
    const n = [...comment.value].length;
    counter.textContent = t("survey.count", { n, max });
    counter.classList.toggle("near", n > max * 0.9);
  });
  const cases = [["", t("survey.caseNone")], ...caseTypes(info)].map(([id, label]) =>
    el(
      "label",
      { class: "chip", "data-case": id || "none" },
      el("input", { type: "radio", name: "case_type", value: id, checked: id === "" }),
      el("span", {}, label),
    ),
  );
  const error = el("p", { class: "notice error", id: "survey-error", role: "alert", hidden: true });
  const submit = el("button", { type: "submit", class: "btn primary submit", id: "survey-submit" }, t("survey.submit"));
  const f = el(
    "form",
    { id: "survey-form", novalidate: true },
    el("p", { class: "scale-hint" }, t("survey.scaleHint")),
    question(info, QUESTIONS[0], 0, labels),
    el("h3", { class: "dims" }, t("survey.dimensions")),
    QUESTIONS.slice(1).map((id, i) => question(info, id, i + 1, labels)),
    el(
      "div",
      { class: "field" },
      el("label", { for: "comment", class: "field-label" }, t("survey.comment")),
      el("p", { class: "hint", id: "comment-hint" }, t("survey.commentHint")),
      comment,
      counter,
    ),
    el("fieldset", { class: "cases" }, el("legend", { class: "field-label" }, t("survey.caseType")), el("div", { class: "chips" }, cases)),
    error,
    submit,
  );
  f.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const data = new FormData(f);
    const missing = QUESTIONS.map((id, i) => (data.get(id) ? null : i)).filter((i) => i !== null);
    if (missing.length) {
      for (const i of missing) $(`#q-${QUESTIONS[i]}`).classList.add("missing");
      error.textContent = t("survey.missing", { questions: missing.map((i) => t("survey.missingOne", { n: i + 1 })).join(", ") });
      error.hidden = false;
      $(`#q-${QUESTIONS[missing[0]]} input`).focus();
      return;
    }
    const body = {};
    for (const id of QUESTIONS) body[id] = Number(data.get(id));
    const text = String(data.get("comment") || "").trim();
    if (text) body.comment = text;
    const caseType = String(data.get("case_type") || "");
    if (caseType) body.case_type = caseType;
    submit.disabled = true;
    submit.textContent = t("survey.sending");
    try {
      await api(path, { method: "POST", body });
      thanks(root).focus();
    } catch (e) {
      if (e.code === "already_answered") {
        thanks(root, e.message).focus();
        return;
      }
      error.textContent = e.message;
      error.hidden = false;
      error.focus?.();
      submit.disabled = false;
      submit.textContent = t("survey.submit");
    }
  });
  return f;
}
