/* Manage pages: in-place editing. htmx swaps a section (Edit → its form, Save → the
   section again); this file moves focus sensibly after each swap, says what changed in
   the polite live region, and lets Escape cancel an open form (as its Cancel link).
   No inline handlers, no eval: the strict CSP holds. */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function focusIn(section) {
    var target =
      section.querySelector("[data-manage-focus]") ||
      section.querySelector(".error-summary") ||
      section.querySelector("form[data-escape-cancels] .field--error input, form[data-escape-cancels] .field--error select, form[data-escape-cancels] .field--error textarea") ||
      section.querySelector("form[data-escape-cancels] input:not([type=hidden]), form[data-escape-cancels] select, form[data-escape-cancels] textarea") ||
      section.querySelector("[data-edit-button]") ||
      section.querySelector("h2");
    if (!target) return;
    if (!target.matches("a, button, input, select, textarea") && !target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  // With hx-swap="outerHTML" htmx fires afterSettle on the new element itself.
  document.addEventListener("htmx:afterSettle", function (event) {
    var section = event.target;
    if (!section || !section.matches || !section.matches(".manage-section")) return;
    focusIn(section);
    var note = section.querySelector("[data-announce]");
    if (note) announce(note.getAttribute("data-announce"));
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var form = event.target.closest("form[data-escape-cancels]");
    if (!form) return;
    var cancel = form.querySelector("[data-cancel]");
    if (!cancel) return;
    event.preventDefault();
    cancel.click();
  });

  // The preview is never sent.
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form[data-preview]")) event.preventDefault();
  });
})();
