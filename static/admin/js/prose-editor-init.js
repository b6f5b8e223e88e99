// Starts django-prose-editor on every textarea marked data-qxs-prose-editor.
// The editor bundle is imported by the URL in data-editor-module (a static file of ours), so no
// inline <script type="importmap"> is needed and a strict Content Security Policy holds.
const SELECTOR = "textarea[data-qxs-prose-editor]";

// django-prose-editor translates its dialogs with window.gettext, read once when the bundle is
// first imported, and ships no Chinese catalogue; these are its dialog strings.
const CHINESE = {
  "Add caption": "添加说明",
  "Alternative Text": "替代文本",
  "Browse...": "浏览……",
  Bullets: "项目符号",
  Cancel: "取消",
  Caption: "说明",
  Columns: "列数",
  "Decimal numbers": "数字",
  "Edit Figure": "编辑图片",
  "Edit HTML": "编辑 HTML",
  "Edit Image": "编辑图片",
  "Edit Link": "编辑链接",
  "Image URL": "图片网址（只能用本站图片库中的图片）",
  "Include header row": "包含表头行",
  "Insert Figure": "插入图片",
  "Insert Table": "插入表格",
  Insert: "插入",
  "List properties": "列表设置",
  "List type": "列表类型",
  "Lowercase Roman numerals": "小写罗马数字",
  "Lowercase letters": "小写字母",
  "Open in new window": "在新窗口打开",
  Prettify: "整理格式",
  "Remove caption": "删除说明",
  Rows: "行数",
  "Start at": "起始编号",
  "Table Properties": "表格设置",
  "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.":
    "编辑器中的 HTML。保存时只保留允许的标签，脚本和样式会被清除。",
  Title: "标题",
  "Toggle fullscreen": "全屏",
  URL: "网址",
  Update: "更新",
  "Uppercase Roman numerals": "大写罗马数字",
  "Uppercase letters": "大写字母",
};

// The toolbar's tooltips are written into the buttons in English, not passed to gettext; they
// are put into Chinese on the buttons themselves (title and aria-label), including those of menus
// the editor adds later (the table menu). tests/e2e checks that no toolbar tooltip is English.
const TOOLTIPS = {
  bold: "加粗",
  italic: "斜体",
  underline: "下划线",
  strike: "删除线",
  subscript: "下标",
  superscript: "上标",
  "unordered list": "项目符号列表",
  "ordered list": "编号列表",
  blockquote: "引用",
  "horizontal rule": "分隔线",
  figure: "图片",
  "insert link": "插入链接",
  "remove link": "取消链接",
  paragraph: "正文段落",
  "heading 1": "一级标题",
  "heading 2": "二级标题",
  "heading 3": "三级标题",
  "heading 4": "四级标题",
  "heading 5": "五级标题",
  "heading 6": "六级标题",
  undo: "撤销",
  redo: "重做",
  Code: "代码",
  "Code block": "代码块",
  "edit HTML": "编辑 HTML",
  HTML: "HTML",
  Styles: "样式",
  "Insert table": "插入表格",
  "Add column": "插入列",
  "Add row": "插入行",
  "Delete column": "删除列",
  "Delete row": "删除行",
  "Delete table": "删除表格",
  "Merge cells": "合并单元格",
  "Split cell": "拆分单元格",
  "Toggle header cell": "切换表头单元格",
  left: "左对齐",
  center: "居中",
  right: "右对齐",
  justify: "两端对齐",
};

const zh = document.documentElement.lang.toLowerCase().startsWith("zh");
if (zh) {
  const fallback = window.gettext || ((text) => text);
  window.gettext = (text) => CHINESE[text] ?? fallback(text);
}

function translateTooltips(root) {
  for (const element of root.querySelectorAll("[title], [aria-label]")) {
    for (const attribute of ["title", "aria-label"]) {
      const value = element.getAttribute(attribute);
      const chinese = value && (TOOLTIPS[value] ?? CHINESE[value]);
      if (chinese && chinese !== value) {
        element.setAttribute(attribute, chinese);
      }
    }
  }
}

function keepTooltipsChinese(container) {
  translateTooltips(container);
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          translateTooltips(node.parentElement || node);
        }
      }
    }
  }).observe(container, { childList: true, subtree: true });
}

async function start(textarea) {
  if (textarea.closest(".prose-editor") || textarea.id.includes("__prefix__")) {
    return;
  }
  const editor = await import(textarea.dataset.editorModule);
  const config = JSON.parse(textarea.dataset.qxsProseEditor);
  // Pictures: the editor's Image node with our picture button and library number.
  const pictures = config.pictures && (await import(config.pictures.module));
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions)) {
    const extension =
      name === "Image" && pictures ? pictures.pictureExtension(editor, config.pictures) : editor[name];
    if (!extension) {
      continue;
    }
    extensions.push(typeof options === "object" ? extension.configure(options) : extension);
  }
  editor.createTextareaEditor(textarea, extensions);
  // The editable area is named by the field's label, as the textarea was.
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const editable = textarea.closest(".prose-editor")?.querySelector('[contenteditable="true"]');
  if (label && editable) {
    label.id = label.id || `${textarea.id}_label`;
    editable.setAttribute("aria-labelledby", label.id);
  }
}

// Menus may be attached outside the editor (floating menus), so the whole page is watched; only
// exact tooltip texts of the editor are replaced.
if (zh && document.querySelector(SELECTOR)) {
  keepTooltipsChinese(document.body);
}

for (const textarea of document.querySelectorAll(SELECTOR)) {
  start(textarea).catch((error) => console.error("prose editor:", error));
}
