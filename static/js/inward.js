/* Inward's own JavaScript: small, no framework. htmx does the requests; this
   file adds keyboard use of the search suggestions (ARIA 1.2 combobox), moves
   focus after swaps and speaks changes through one polite live region.
   No inline handlers and no eval, so the strict CSP holds. */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function listFor(input) {
    return document.getElementById(input.getAttribute("aria-controls"));
  }

  function options(input) {
    var list = listFor(input);
    return list ? Array.prototype.slice.call(list.querySelectorAll('[role="option"]')) : [];
  }

  function setOpen(input, open) {
    var list = listFor(input);
    if (!list) return;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) select(input, -1);
  }

  function select(input, index) {
    var opts = options(input);
    opts.forEach(function (opt, i) { opt.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (index >= 0 && opts[index]) {
      input.setAttribute("aria-activedescendant", opts[index].id);
      opts[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function selectedIndex(input) {
    return options(input).findIndex(function (opt) { return opt.getAttribute("aria-selected") === "true"; });
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches('input[role="combobox"]')) return;
    var opts = options(input);
    var list = listFor(input);
    var open = list && !list.hidden;
    var current = selectedIndex(input);
    if (event.key === "ArrowDown" && opts.length) {
      event.preventDefault();
      setOpen(input, true);
      select(input, current < opts.length - 1 ? current + 1 : 0);
    } else if (event.key === "ArrowUp" && opts.length) {
      event.preventDefault();
      setOpen(input, true);
      select(input, current > 0 ? current - 1 : opts.length - 1);
    } else if (event.key === "Enter" && open && current >= 0) {
      event.preventDefault();
      var link = opts[current].querySelector("a");
      if (link) window.location.assign(link.href);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(input, false);
    }
  });

  document.addEventListener("click", function (event) {
    document.querySelectorAll('input[role="combobox"]').forEach(function (input) {
      var box = input.closest("[data-combobox]");
      if (box && !box.contains(event.target)) setOpen(input, false);
    });
  });

  // After suggestions arrive (the list is swapped whole), open or close it and say
  // how many there are. The input that owns a list names it in aria-controls.
  document.addEventListener("htmx:afterSettle", function (event) {
    // With outerHTML the target is the old, detached element: look the new one up.
    var target = event.detail.target;
    var list = target && target.id ? document.getElementById(target.id) : null;
    if (!list || !list.classList.contains("suggestions")) return;
    var input = document.querySelector('input[role="combobox"][aria-controls="' + list.id + '"]');
    if (!input) return;
    var hasContent = !list.hasAttribute("hidden") && list.children.length > 0;
    setOpen(input, hasContent && input.value.trim() !== "");
    announce(list.getAttribute("data-announce"));
  });

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
