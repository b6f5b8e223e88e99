/* Progressive enhancements of the public site.
 * - The text size switch (大/中/小) sets a class on <html> and keeps the choice in localStorage;
 *   font-size.js applies it on the next pages before they paint. It is shown only when scripts
 *   run (html.js), since without them it could not work.
 * - The print link prints in place; without scripts it opens the print view. */
(function () {
  "use strict";

  var SIZES = ["small", "medium", "large"];
  var STORAGE_KEY = "qxs_font_size";

  function currentFontSize() {
    var root = document.documentElement;
    for (var i = 0; i < SIZES.length; i++) {
      if (root.classList.contains("font-" + SIZES[i])) {
        return SIZES[i];
      }
    }
    return "medium";
  }

  function showFontSize(size) {
    document.querySelectorAll("[data-font-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-font-size") === size));
    });
  }

  function applyFontSize(size) {
    var root = document.documentElement;
    SIZES.forEach(function (name) {
      root.classList.remove("font-" + name);
    });
    if (size !== "medium") {
      root.classList.add("font-" + size);
    }
    showFontSize(size);
    try {
      if (size === "medium") {
        window.localStorage.removeItem(STORAGE_KEY);
      } else {
        window.localStorage.setItem(STORAGE_KEY, size);
      }
    } catch (e) {
      /* Storage blocked: the size holds for this page only. */
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-font-size], [data-print]") : null;
    if (!target) {
      return;
    }
    if (target.hasAttribute("data-font-size")) {
      var size = target.getAttribute("data-font-size");
      if (SIZES.indexOf(size) !== -1) {
        event.preventDefault();
        applyFontSize(size);
      }
    } else if (target.hasAttribute("data-print") && window.print) {
      event.preventDefault();
      window.print();
    }
  });

  function ready() {
    showFontSize(currentFontSize());
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
