/* The type-ahead search box, in the WAI-ARIA APG pattern "editable combobox with list
   autocomplete": a text input (role="combobox") that controls a listbox (aria-controls).
   htmx fetches the popup (the server renders the options); this file adds the keyboard:
   Down/Up move the active option (aria-activedescendant; focus stays in the input),
   Enter opens the active option, Escape closes the popup or else clears the box, and a
   click or tap on an option opens it. Options are not links (no nested interactive
   content): each carries its address in data-href. Without JavaScript there are no
   suggestions and the form opens the results page, whose results are real links.
   An option without data-href (the people-and-teams picker's) is chosen in place: the
   input gets a "combobox:choose" event whose detail.option is the option (picker.js
   makes it a chip), and the popup closes.
   No inline handlers and no eval, so the strict CSP holds. */
(function () {
  "use strict";

  var BOX = 'input[role="combobox"]';

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function popupOf(input) { return document.getElementById(input.getAttribute("data-popup")); }
  function listboxOf(input) { return document.getElementById(input.getAttribute("aria-controls")); }

  function optionsOf(input) {
    var listbox = listboxOf(input);
    return listbox ? Array.prototype.slice.call(listbox.querySelectorAll('[role="option"]')) : [];
  }

  function activeIndex(input) {
    return optionsOf(input).findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
  }

  function activate(input, index) {
    var options = optionsOf(input);
    options.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // Open while there is something to show (options, or the "no results" words).
  function setOpen(input, open) {
    var popup = popupOf(input);
    var listbox = listboxOf(input);
    var hasOptions = optionsOf(input).length > 0;
    if (popup) popup.hidden = !open;
    if (listbox) listbox.hidden = !(open && hasOptions);
    input.setAttribute("aria-expanded", open && hasOptions ? "true" : "false");
    if (!open) activate(input, -1);
  }

  function isOpen(input) {
    var popup = popupOf(input);
    return Boolean(popup && !popup.hidden);
  }

  function choose(input, option) {
    if (!option) return;
    var href = option.getAttribute("data-href");
    if (href) {
      window.location.assign(href);
      return;
    }
    input.dispatchEvent(new CustomEvent("combobox:choose", { bubbles: true, detail: { option: option } }));
    setOpen(input, false);
  }

  function move(input, step) {
    var count = optionsOf(input).length;
    if (!count) return;
    if (!isOpen(input)) setOpen(input, true);
    var current = activeIndex(input);
    var next = current < 0 ? (step > 0 ? 0 : count - 1) : (current + step + count) % count;
    activate(input, next);
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(BOX)) return;
    if (event.key === "ArrowDown" || event.key === "Down") {
      event.preventDefault();
      if (event.altKey) { setOpen(input, true); return; }
      move(input, 1);
    } else if (event.key === "ArrowUp" || event.key === "Up") {
      event.preventDefault();
      move(input, -1);
    } else if (event.key === "Enter" && isOpen(input) && activeIndex(input) >= 0) {
      event.preventDefault();
      choose(input, optionsOf(input)[activeIndex(input)]);
    } else if (event.key === "Escape" || event.key === "Esc") {
      if (isOpen(input)) {
        event.preventDefault();
        setOpen(input, false);
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
      }
    }
  });

  // Keep the focus in the input when an option is pressed, then open it on click.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest('[role="listbox"] [role="option"]')) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest ? event.target.closest('[role="option"]') : null;
    var box = option ? option.closest("[data-combobox]") : null;
    if (box) {
      choose(box.querySelector(BOX), option);
      return;
    }
    document.querySelectorAll(BOX).forEach(function (input) {
      var box = input.closest("[data-combobox]");
      if (box && !box.contains(event.target)) setOpen(input, false);
    });
  });

  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(BOX)) return;
    var box = input.closest("[data-combobox]");
    window.setTimeout(function () {
      if (box && !box.contains(document.activeElement)) setOpen(input, false);
    }, 0);
  });

  // A new popup arrived (swapped whole, outerHTML): open it if there is something to show
  // for what is typed now, and say how many suggestions there are.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var popup = target && target.id ? document.getElementById(target.id) : null;
    if (!popup || !popup.classList.contains("suggestions")) return;
    var input = document.querySelector(BOX + '[data-popup="' + popup.id + '"]');
    if (!input) return;
    var hasContent = popup.getAttribute("data-announce") !== "";
    setOpen(input, hasContent && input.value.trim() !== "" && document.activeElement === input);
    if (hasContent) announce(popup.getAttribute("data-announce"));
  });
})();
