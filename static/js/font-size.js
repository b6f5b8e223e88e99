/* Apply the reader's saved text size before the page paints (no inline script: strict CSP). */
(function () {
  "use strict";
  try {
    var size = window.localStorage.getItem("qxs_font_size");
    if (size === "small" || size === "medium" || size === "large") {
      var root = document.documentElement;
      root.className = root.className.replace(/\bfont-(small|medium|large)\b/g, "").trim() + " font-" + size;
    }
  } catch (e) {
    /* Storage blocked: the server-side cookie still applies. */
  }
})();
