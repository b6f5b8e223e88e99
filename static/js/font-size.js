/* Loaded in <head>, before the page paints (an external file: the CSP forbids inline scripts).
 * Marks the page as scripted ("js": the font-size switch shows only then) and applies the text
 * size the reader chose earlier, kept in localStorage by site.js. The server never sees it. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var size = window.localStorage.getItem("qxs_font_size");
    if (size === "small" || size === "large") {
      root.classList.add("font-" + size);
    }
  } catch (e) {
    /* Storage blocked (some private modes): the default size. */
  }
})();
