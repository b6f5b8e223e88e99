"use strict";
// Accessible names on the article form for what Django's admin widgets leave unnamed: the
// autocomplete (select2) boxes and their search fields. select2 redraws its markup when the
// selection changes, so the names are put back after each change.
(function () {
  function labelOf(element) {
    const label = document.querySelector(`label[for="${element.id}"]`);
    if (label && !label.id) {
      label.id = `${element.id}_label`;
    }
    return label;
  }

  function name(select) {
    const container = select.nextElementSibling;
    const label = labelOf(select);
    if (!label || !container || !container.classList.contains("select2")) {
      return;
    }
    const text = label.textContent.replace(/[:：]\s*$/, "").trim();
    const selection = container.querySelector(".select2-selection");
    if (selection) {
      const rendered = container.querySelector(".select2-selection__rendered[id]");
      const ids = [label.id];
      if (rendered) {
        ids.push(rendered.id);
      }
      selection.setAttribute("aria-labelledby", ids.join(" "));
      if (rendered && rendered.getAttribute("role") === "textbox") {
        rendered.setAttribute("aria-labelledby", label.id);
      }
    }
    const search = container.querySelector(".select2-search__field");
    if (search) {
      search.setAttribute("aria-label", text);
    }
    // The "clear all" cross sits inside the list of chosen items, where only items belong; its
    // click handler is delegated from the selection box, so it keeps working one level up.
    const list = container.querySelector("ul.select2-selection__rendered");
    const clear = list && list.querySelector(":scope > .select2-selection__clear");
    if (clear) {
      list.parentElement.appendChild(clear);
    }
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  window.addEventListener("load", function () {
    nameAll();
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("change select2:close", "select.admin-autocomplete", function () {
        window.setTimeout(nameAll, 0);
      });
    }
  });
})();
