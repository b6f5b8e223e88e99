// Starts django-prose-editor on every textarea marked data-qxs-prose-editor.
// The editor bundle is imported by the URL in data-editor-module (a static file of ours), so no
// inline <script type="importmap"> is needed and a strict Content Security Policy holds.
const SELECTOR = "textarea[data-qxs-prose-editor]";

async function start(textarea) {
  if (textarea.closest(".prose-editor") || textarea.id.includes("__prefix__")) {
    return;
  }
  const editor = await import(textarea.dataset.editorModule);
  const config = JSON.parse(textarea.dataset.qxsProseEditor);
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions)) {
    const extension = editor[name];
    if (!extension) {
      continue;
    }
    extensions.push(typeof options === "object" ? extension.configure(options) : extension);
  }
  editor.createTextareaEditor(textarea, extensions);
}

for (const textarea of document.querySelectorAll(SELECTOR)) {
  start(textarea).catch((error) => console.error("prose editor:", error));
}
