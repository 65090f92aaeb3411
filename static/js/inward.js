/* Inward's own JavaScript: small, no framework. htmx does the requests; this
   file moves focus after swaps and speaks changes through one polite live region.
   The search box's type-ahead (the combobox) is in combobox.js.
   No inline handlers and no eval, so the strict CSP holds. */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // With hx-swap="outerHTML" the event's target is the old element, now detached:
  // what was swapped in is the element with its id in the document.
  function swappedIn(target) {
    if (target && !target.isConnected && target.id) return document.getElementById(target.id);
    return target;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = swappedIn(event.detail.target);
    var focusTarget = target && target.querySelector ? target.querySelector("[data-focus-after-swap]") : null;
    if (!focusTarget && target && target.matches && target.matches("[data-focus-after-swap]")) focusTarget = target;
    if (focusTarget) {
      if (!focusTarget.hasAttribute("tabindex")) focusTarget.setAttribute("tabindex", "-1");
      focusTarget.focus();
    }
    var message = target && target.querySelector ? target.querySelector("[data-announce-after-swap]") : null;
    if (message) announce(message.getAttribute("data-announce-after-swap") || message.textContent);
  });

  // The header's links fold under Menu on a phone (the CSS decides when; on a wide
  // screen the button is not shown and the links always are).
  function foldableMenu() {
    var button = document.querySelector(".menu-button");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    button.hidden = false;
    nav.classList.add("is-folded");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-folded", !open);
      if (open) {
        var first = nav.querySelector("a, button");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.click();
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", foldableMenu);
  else foldableMenu();

  document.addEventListener("htmx:responseError", function () {
    announce("Sorry, that did not work. Please try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    announce("Inward could not be reached. Check your connection and try again.");
  });
})();

/* == service requests: conditional questions ==
   A question marked data-show-when="key" data-show-value="v" shows only while the
   field f_<key> has that value. Without JavaScript every question shows with a note
   saying when it is needed, and the server ignores the ones that do not apply. */
(function () {
  "use strict";

  function valueOf(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      values.push(input.value);
    });
    return values;
  }

  function update(root) {
    (root || document).querySelectorAll("form").forEach(function (form) {
      form.querySelectorAll("[data-show-when]").forEach(function (slot) {
        var wanted = slot.getAttribute("data-show-value");
        var shown = valueOf(form, "f_" + slot.getAttribute("data-show-when")).indexOf(wanted) !== -1;
        slot.hidden = !shown;
        var note = slot.querySelector(".field__condition");
        if (note) note.hidden = true;
      });
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.form) update(event.target.form.parentNode);
  });
  document.addEventListener("DOMContentLoaded", function () { update(document); });
  document.addEventListener("htmx:afterSettle", function () { update(document); });
})();
