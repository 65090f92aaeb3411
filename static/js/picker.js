/* The people-and-teams picker (templates/_macros/picker.html): the header search box's
   combobox (combobox.js: the keys, the popup) whose chosen option becomes a chip instead
   of opening a page. A chip is a ticked checkbox under the picker's name (person-12,
   department-3), so the form sends it as it is; the typed text is cleared once chosen.
   Removing: untick the chip (click it, or Space on it), or Backspace in the empty box
   removes the last one. Every chip added or removed is said in the page's polite live
   region (#announcer). A picker marked data-single holds one chip: choosing replaces it.
   Without JavaScript the box is a plain field the server reads (names, @handles, e-mail
   addresses). No inline handlers and no eval, so the strict CSP holds. */
(function () {
  "use strict";

  var made = 0;

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function pickerOf(element) { return element.closest ? element.closest("[data-picker]") : null; }
  function chipList(picker) { return picker.querySelector(".pick-chips"); }
  function chips(picker) { return Array.prototype.slice.call(chipList(picker).querySelectorAll(".pick-chip")); }
  function inputOf(picker) { return picker.querySelector('input[role="combobox"]'); }
  function nameOf(chip) { return chip.querySelector(".pick-chip__name").textContent; }

  function countWords(picker) {
    var n = chips(picker).length;
    return n === 0 ? "Nobody chosen." : n + " chosen.";
  }

  function removeChip(picker, chip, say) {
    var name = nameOf(chip);
    chip.remove();
    chipList(picker).hidden = chips(picker).length === 0;
    if (say) announce(name + " removed. " + countWords(picker));
  }

  function addChip(picker, option) {
    var token = option.getAttribute("data-token");
    var name = option.getAttribute("data-name");
    var already = chips(picker).filter(function (chip) {
      return chip.querySelector("input").value === token;
    });
    if (already.length) {
      announce(name + " is already chosen.");
      return;
    }
    if (picker.hasAttribute("data-single")) {
      chips(picker).forEach(function (chip) { removeChip(picker, chip, false); });
    }
    var template = picker.querySelector("template[data-chip-template]");
    var chip = template.content.firstElementChild.cloneNode(true);
    var box = chip.querySelector("input");
    made += 1;
    box.id = inputOf(picker).id + "-chosen-" + made;
    box.value = token;
    chip.querySelector("label").setAttribute("for", box.id);
    var avatar = chip.querySelector(".avatar");
    avatar.textContent = option.getAttribute("data-initials");
    avatar.classList.toggle("avatar--team", token.indexOf("department-") === 0);
    chip.querySelector(".pick-chip__name").textContent = name;
    chipList(picker).appendChild(chip);
    chipList(picker).hidden = false;
    announce(name + " added. " + countWords(picker));
  }

  document.addEventListener("combobox:choose", function (event) {
    var picker = pickerOf(event.target);
    var option = event.detail && event.detail.option;
    if (!picker || !option || !option.hasAttribute("data-token")) return;
    addChip(picker, option);
    event.target.value = "";
    event.target.focus();
  });

  // Unticking a chip removes it (a click on it, or Space when it has the focus).
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("pick-chip__box") || box.checked) return;
    var picker = pickerOf(box);
    if (!picker) return;
    removeChip(picker, box.closest(".pick-chip"), true);
    inputOf(picker).focus();
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Backspace" || !input.matches || !input.matches('[data-picker] input[role="combobox"]')) return;
    if (input.value !== "" || input.selectionStart !== 0) return;
    var picker = pickerOf(input);
    var all = chips(picker);
    if (!all.length) return;
    event.preventDefault();
    removeChip(picker, all[all.length - 1], true);
  });
})();
