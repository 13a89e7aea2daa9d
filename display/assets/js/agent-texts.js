// The agent console's fixed texts, put in from the language pack, and its action
// buttons labelled and wired to `onAction`.
import { t } from "./i18n.js";
import { $, el } from "./common.js";

/** Fills every fixed text of the console; each action button calls `onAction(action)`. */
export function setupTexts(onAction) {
  $("#app-title").textContent = t("agent.title");
  $("#login-title").textContent = t("agent.signIn");
  $("#username-label").textContent = t("agent.username");
  $("#password-label").textContent = t("agent.password");
  $("#login-submit").textContent = t("agent.enter");
  $("#sign-out").textContent = t("agent.signOut");
  $("#change-counter").textContent = t("agent.changeCounter");
  $("#current-title").textContent = t("agent.current");
  $("#queue-title").textContent = t("agent.waitingTitle");
  $("#col-code").textContent = t("agent.colCode");
  $("#col-service").textContent = t("agent.colService");
  $("#col-category").textContent = t("agent.colCategory");
  $("#col-wait").textContent = t("agent.colWait");
  $("#shortcuts").textContent = t("agent.shortcuts");
  $("#call-title").textContent = t("agent.callCode");
  $("#call-code-label").textContent = t("agent.codeLabel");
  $("#call-reason-label").textContent = t("agent.callReason");
  $("#call-note-label").textContent = t("agent.callNote");
  $("#pause-title").textContent = t("agent.pause");
  $("#pause-other-label").textContent = t("agent.pauseOther");
  for (const b of document.querySelectorAll(".cancel-btn")) b.textContent = t("agent.cancel");
  for (const b of document.querySelectorAll(".confirm-btn")) b.textContent = t("agent.confirm");
  const labels = {
    "call-next": "agent.callNext", recall: "agent.recall", start: "agent.start", finish: "agent.finish",
    "no-show": "agent.noShow", transfer: "agent.transfer", call: "agent.callCode", pause: "agent.pause",
    resume: "agent.resume", open: "agent.openCounter",
  };
  for (const button of document.querySelectorAll("#actions [data-action]")) {
    const action = button.dataset.action;
    const key = button.getAttribute("aria-keyshortcuts");
    button.replaceChildren(
      el("span", {}, t(labels[action]), action === "recall" ? el("span", { class: "count" }) : ""),
      key ? el("kbd", { "aria-hidden": "true" }, key) : "",
    );
    button.addEventListener("click", () => onAction(action));
  }
}
