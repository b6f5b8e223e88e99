// The body editor's picture button (插入图片): upload a picture into the image library or pick
// one from it, always with its alt text, and insert it as <img data-image="<number>">. When the
// article is saved the server writes the picture's renditions into the tag (srcset, sizes, width,
// height: articles/pictures.py). A picture pasted or dropped into the editor as a file (a
// screenshot) opens the same dialog, so it goes into the library too. No inline script or style.
//
// Labels come translated from the widget (articles/widgets.py), like its URLs.

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children);
  return node;
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (input) return input.value;
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
}

async function readJSON(response) {
  try {
    return await response.json();
  } catch {
    return {};
  }
}

// A picture in the clipboard or a drop: a file, or a data: URI inside pasted HTML.
function pastedPicture(transfer) {
  if (!transfer) return null;
  for (const file of transfer.files || []) {
    if (file.type.startsWith("image/")) return file;
  }
  const html = transfer.getData("text/html");
  if (!html || !html.includes("data:image/")) return null;
  const doc = new DOMParser().parseFromString(html, "text/html");
  const img = doc.querySelector('img[src^="data:image/"]');
  const match = img && /^data:(image\/[a-z+.-]+);base64,(.*)$/i.exec(img.getAttribute("src"));
  if (!match) return null;
  try {
    const bytes = Uint8Array.from(atob(match[2]), (c) => c.charCodeAt(0));
    const suffix = match[1].split("/")[1].replace("jpeg", "jpg").replace(/\+.*/, "");
    return new File([bytes], `pasted.${suffix}`, { type: match[1] });
  } catch {
    return null;
  }
}

let dialogCount = 0;

// Opens the dialog; resolves when it is closed. `pasted` is a File to upload, `current` the
// attributes of the selected picture (to change its alt text or replace it).
function openPictureDialog(editor, config, { pasted = null, current = null } = {}) {
  const L = config.labels;
  const id = `qxs-picture-${++dialogCount}`;
  let chosen = null; // a library picture
  let pending = pasted; // a file to upload
  let page = 1;
  let altFromLibrary = "";

  const title = element("h2", { id: `${id}-title`, text: current ? L.edit_title : L.title });
  const status = element("p", { class: "qxs-picture-status", role: "status" });
  const error = element("p", { class: "qxs-picture-error", role: "alert", id: `${id}-error` });

  const search = element("input", {
    type: "search",
    id: `${id}-q`,
    name: "q",
    autocomplete: "off",
  });
  const searchButton = element("button", { type: "button", class: "button", text: L.search });
  const results = element("ul", { class: "qxs-picture-results", "aria-labelledby": `${id}-lib` });
  const more = element("button", {
    type: "button",
    class: "button qxs-picture-more",
    text: L.more,
    hidden: true,
  });
  const library = element("fieldset", { class: "qxs-picture-library" }, [
    element("legend", { id: `${id}-lib`, text: L.library }),
    element("div", { class: "qxs-picture-search" }, [
      element("label", { for: `${id}-q`, text: L.search_label }),
      search,
      searchButton,
    ]),
    results,
    more,
  ]);

  const file = element("input", {
    type: "file",
    id: `${id}-file`,
    name: "file",
    accept: "image/jpeg,image/png,image/webp,image/gif",
    "aria-describedby": `${id}-file-help`,
  });
  // A pasted picture is said once, next to the file input and in the alt field's description.
  const pastedNote = element("p", {
    class: "qxs-picture-pasted",
    id: `${id}-pasted`,
    text: pasted ? L.pasted : "",
  });
  const upload = element("fieldset", { class: "qxs-picture-upload" }, [
    element("legend", { text: L.upload }),
    element("label", { for: `${id}-file`, text: L.file }),
    file,
    element("p", { class: "help", id: `${id}-file-help`, text: L.file_help }),
    pastedNote,
  ]);

  const alt = element("input", {
    type: "text",
    id: `${id}-alt`,
    name: "alt",
    maxlength: 200,
    required: true,
    "aria-required": "true",
    "aria-describedby": `${pasted ? `${id}-pasted ` : ""}${id}-alt-help ${id}-error`,
    value: current?.alt || "",
  });
  const altField = element("div", { class: "qxs-picture-alt" }, [
    element("label", { for: `${id}-alt`, class: "required", text: L.alt }),
    alt,
    element("p", { class: "help", id: `${id}-alt-help`, text: L.alt_help }),
  ]);

  const submit = element("button", {
    type: "submit",
    class: "button default",
    text: current ? L.update : L.insert,
  });
  const cancel = element("button", { type: "button", class: "button", text: L.cancel });
  const form = element("form", { class: "qxs-picture-form", novalidate: true }, [
    title,
    library,
    upload,
    altField,
    error,
    status,
    element("div", { class: "qxs-picture-buttons" }, [submit, cancel]),
  ]);
  const dialog = element("dialog", { class: "qxs-picture-dialog", "aria-labelledby": title.id }, [
    form,
  ]);
  document.body.append(dialog);

  function setError(message) {
    error.textContent = message || "";
    alt.setAttribute("aria-invalid", message && !alt.value.trim() ? "true" : "false");
  }

  function choose(picture, button) {
    chosen = picture;
    for (const other of results.querySelectorAll("button[aria-pressed]")) {
      other.setAttribute("aria-pressed", String(other === button));
    }
    file.value = "";
    if (!alt.value.trim() || alt.value === altFromLibrary) {
      alt.value = picture.alt;
      altFromLibrary = picture.alt;
    }
    pending = null;
    pastedNote.textContent = "";
    status.textContent = L.chosen.replace("%s", picture.alt);
    setError("");
  }

  let latest = 0; // only the answer to the latest request is shown
  async function load(reset) {
    const request = ++latest;
    const wanted = reset ? 1 : page + 1;
    status.textContent = L.loading;
    const query = new URLSearchParams({ q: search.value.trim(), page: wanted });
    let data;
    try {
      const response = await fetch(`${config.library}?${query}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      data = await readJSON(response);
      if (!response.ok) throw new Error(data.error || L.failed_library);
    } catch (problem) {
      if (request === latest) {
        status.textContent = "";
        setError(problem.message || L.failed_library);
      }
      return;
    }
    if (request !== latest) return;
    page = wanted;
    if (reset) results.replaceChildren();
    for (const picture of data.results) {
      const thumbnail = element("img", { src: picture.thumbnail, alt: "" });
      if (picture.width) {
        thumbnail.width = 160;
        thumbnail.height = Math.max(1, Math.round((160 * picture.height) / picture.width));
      }
      const pressed = String(chosen?.id === picture.id);
      const button = element(
        "button",
        { type: "button", class: "qxs-picture-choice", "aria-pressed": pressed },
        [thumbnail, element("span", { text: picture.alt })],
      );
      button.addEventListener("click", () => choose(picture, button));
      results.append(element("li", {}, [button]));
    }
    more.hidden = !data.has_next;
    status.textContent = data.count ? L.count.replace("%s", data.count) : L.none;
  }

  async function uploadFile(picture) {
    const body = new FormData();
    body.append("file", picture, picture.name || "picture");
    body.append("alt_text", alt.value.trim());
    status.textContent = L.uploading;
    const response = await fetch(config.upload, {
      method: "POST",
      body,
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    const data = await readJSON(response);
    if (!response.ok) {
      throw new Error(data.error || L.refused);
    }
    return data.picture;
  }

  return new Promise((resolve) => {
    if (pasted) {
      try {
        const transfer = new DataTransfer();
        transfer.items.add(pasted);
        file.files = transfer.files;
      } catch {
        // Browsers without a DataTransfer constructor: the pasted file is kept aside.
      }
    }
    file.addEventListener("change", () => {
      pending = file.files[0] || null;
      if (pending) {
        pastedNote.textContent = "";
        chosen = null;
        for (const button of results.querySelectorAll("button[aria-pressed]")) {
          button.setAttribute("aria-pressed", "false");
        }
        if (alt.value === altFromLibrary) alt.value = "";
        status.textContent = "";
      }
    });
    searchButton.addEventListener("click", () => load(true));
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        load(true);
      }
    });
    more.addEventListener("click", () => load(false));
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      editor.commands.focus();
      resolve();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = alt.value.trim();
      if (!chosen && !pending && !current) {
        setError(L.nothing);
        return;
      }
      if (!text) {
        setError(L.alt_missing);
        alt.focus();
        return;
      }
      submit.disabled = true;
      let picture = chosen;
      try {
        if (!picture && pending) picture = await uploadFile(pending);
      } catch (problem) {
        status.textContent = "";
        setError(problem.message);
        submit.disabled = false;
        return;
      }
      const attrs = picture
        ? {
            src: picture.src,
            alt: text,
            width: picture.width || null,
            height: picture.height || null,
            image: String(picture.id),
          }
        : { alt: text };
      if (current) {
        editor.chain().focus().updateAttributes("image", attrs).run();
      } else {
        // With a picture selected the new one goes after it, never in its place.
        const { selection } = editor.state;
        const at = selectedPicture(editor) ? selection.to : selection;
        editor.chain().focus().insertContentAt(at, { type: "image", attrs }).run();
      }
      dialog.close();
    });
    dialog.showModal();
    (pasted || current ? alt : search).focus();
    load(true);
  });
}

function selectedPicture(editor) {
  const node = editor.state.selection.node;
  return node?.type.name === "image" ? node.attrs : null;
}

// The prose editor's Image node, with the library number kept (data-image) and the picture button.
export function pictureExtension(bundle, config) {
  return bundle.Image.extend({
    addAttributes() {
      return {
        ...this.parent?.(),
        image: {
          default: null,
          parseHTML: (img) => img.getAttribute("data-image"),
          renderHTML: (attributes) => (attributes.image ? { "data-image": attributes.image } : {}),
        },
      };
    },

    addMenuItems({ buttons, menu }) {
      menu.defineItem({
        name: "qxsPicture",
        groups: "nodes",
        button: buttons.material("add_photo_alternate", config.labels.button),
        active: (editor) => !!selectedPicture(editor),
        command: (editor) => openPictureDialog(editor, config, { current: selectedPicture(editor) }),
      });
    },

    addProseMirrorPlugins() {
      const editor = this.editor;
      const take = (transfer, event) => {
        const picture = pastedPicture(transfer);
        if (!picture) return false;
        // Text pasted with a picture goes in as usual. A picture copied alone (a screenshot, or
        // a picture copied from a web page, which also brings an <img> of that site) is only
        // uploaded, so no address of another site lands in the body.
        const onlyPicture = !transfer.getData("text/plain").trim();
        if (onlyPicture) event.preventDefault();
        openPictureDialog(editor, config, { pasted: picture });
        return onlyPicture;
      };
      return [
        ...(this.parent?.() || []),
        new bundle.Plugin({
          props: {
            handlePaste: (view, event) => take(event.clipboardData, event),
            handleDrop: (view, event) => take(event.dataTransfer, event),
          },
        }),
      ];
    },
  });
}
