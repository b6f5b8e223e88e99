/* Progressive enhancements of the public site. Every control also works without JavaScript:
 * the font-size links go to /font-size/ (which sets a cookie and comes back), the print link opens
 * the print view. Here they act in place instead. */
(function () {
  "use strict";

  var SIZES = ["small", "medium", "large"];
  var STORAGE_KEY = "qxs_font_size";

  function applyFontSize(size) {
    var root = document.documentElement;
    SIZES.forEach(function (name) {
      root.classList.remove("font-" + name);
    });
    root.classList.add("font-" + size);
    document.querySelectorAll("[data-font-size]").forEach(function (link) {
      if (link.getAttribute("data-font-size") === size) {
        link.setAttribute("aria-current", "true");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  function saveFontSize(size) {
    try {
      window.localStorage.setItem(STORAGE_KEY, size);
    } catch (e) {
      /* Private mode: the cookie below is enough. */
    }
    document.cookie = STORAGE_KEY + "=" + size + "; path=/; max-age=31536000; samesite=lax";
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-font-size], [data-print]") : null;
    if (!target) {
      return;
    }
    if (target.hasAttribute("data-font-size")) {
      var size = target.getAttribute("data-font-size");
      if (SIZES.indexOf(size) === -1) {
        return;
      }
      event.preventDefault();
      applyFontSize(size);
      saveFontSize(size);
    } else if (target.hasAttribute("data-print") && window.print) {
      event.preventDefault();
      window.print();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var match = document.documentElement.className.match(/\bfont-(small|medium|large)\b/);
    if (match) {
      applyFontSize(match[1]);
    }
  });
})();
