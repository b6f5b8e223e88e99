"""Extraction of a news page (plain text or HTML, UTF-8 or GB18030/GBK) into an ExtractedPage.

Pure functions: bytes in, a dataclass out, no database. ``extract(data, name)`` is the entry point;
it raises ``ExtractionError`` (with a reason an editor can read) for a page it cannot use.

What comes out of a page:
- the title (text: the first line; HTML: the heading that matches ``<title>``),
- the publication date and time, from a date line or a labelled line (发布时间：…). When the page
  has none, the first date of the body is used, and for a range (“9月20日至21日”) its last day: a
  report of an event is published once the event is over. Such a date is flagged
  ``date_from_body``.
- source (来源), author (作者) and responsible editor (责任编辑) where the page names them,
- the body paragraphs, without navigation, footers and other boilerplate, with a body that appears
  twice kept once and repeated paragraphs dropped,
- the related-news list: a title and a date per item.
"""

import contextlib
import datetime
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from lxml import etree
from lxml import html as lxml_html


class ExtractionError(ValueError):
    """A page that cannot be imported; the message says why, in words for an editor."""


@dataclass(frozen=True)
class RelatedItem:
    title: str
    date: datetime.date | None = None


@dataclass
class ExtractedPage:
    title: str
    paragraphs: list[str]
    published_on: datetime.date | None = None
    published_time: datetime.time | None = None
    date_from_body: bool = False
    source: str = ""
    author: str = ""
    editor: str = ""
    related: list[RelatedItem] = field(default_factory=list)
    url: str = ""
    encoding: str = ""
    format: str = "text"
    body_repeated: bool = False
    paragraphs_removed: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self):
        """The body as plain text, one paragraph a line."""
        return "\n".join(self.paragraphs)

    @property
    def fingerprint(self):
        """A hash of the normalised text: the same page re-encoded or re-wrapped hashes alike.

        Normalisation (NFKC, no whitespace at all) makes line breaks, full-width forms and the
        byte encoding irrelevant, so only a change of the words changes the fingerprint.
        """
        parts = [
            normalise_key(self.title),
            self.published_on.isoformat() if self.published_on else "",
            self.published_time.strftime("%H:%M") if self.published_time else "",
            normalise_key(self.source),
            normalise_key(self.author),
            normalise_key("".join(self.paragraphs)),
        ]
        parts += [
            f"{normalise_key(item.title)}|{item.date.isoformat() if item.date else ''}"
            for item in self.related
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def to_dict(self):
        """A JSON-serialisable form (dates as ISO strings), read back by ``from_dict``."""
        data = asdict(self)
        data["published_on"] = self.published_on.isoformat() if self.published_on else None
        data["published_time"] = self.published_time.isoformat() if self.published_time else None
        data["related"] = [
            {"title": item.title, "date": item.date.isoformat() if item.date else None}
            for item in self.related
        ]
        return data

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        if data.get("published_on"):
            data["published_on"] = datetime.date.fromisoformat(data["published_on"])
        if data.get("published_time"):
            data["published_time"] = datetime.time.fromisoformat(data["published_time"])
        data["related"] = [
            RelatedItem(
                item["title"],
                datetime.date.fromisoformat(item["date"]) if item.get("date") else None,
            )
            for item in data.get("related", [])
        ]
        return cls(**data)


# --- Text normalisation -----------------------------------------------------------------------

CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u201c\u201d\u2018\u2019\u2014\u2026"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000\u2002\u2003\u2009]+")
_BREAK_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])\s*\n\s*(?=[{CJK}])")
_WHITESPACE = re.compile(r"\s+")


def normalise_key(text):
    """The form used to compare texts: NFKC, no whitespace or invisible characters, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return _WHITESPACE.sub("", text).lower()


def clean_inline(text):
    """Collapse whitespace; a line break between two Chinese characters is dropped entirely.

    (A browser renders the break as a space, which is wrong in Chinese; it is only markup wrapping.)
    """
    text = text.translate(_INVISIBLE)
    text = _BREAK_BETWEEN_CJK.sub("", text)
    return _WHITESPACE.sub(" ", _SPACES.sub(" ", text)).strip()


def display_width(text):
    """Columns a line takes in a Chinese context (ambiguous-width punctuation such as “ is wide)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


# --- Encoding -----------------------------------------------------------------------------------

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}


def decode(data, name=""):
    """Decode page bytes, detecting the encoding rather than assuming it. Returns (text, encoding).

    Order: a byte-order mark; strict UTF-8 (text in GB18030 is practically never valid UTF-8, so a
    clean UTF-8 decode is reliable); the charset an HTML page declares; strict GB18030 (a superset
    of GBK and GB2312). Anything else is refused with a reason rather than imported as mojibake.
    """
    if not data or not data.strip():
        raise ExtractionError("文件是空的。")
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding.upper()
            except UnicodeDecodeError as exc:
                raise ExtractionError(
                    f"文件以 {encoding.upper()} 标记开头，却无法按它解码。"
                ) from exc
    if b"\x00" in data:
        raise ExtractionError("这不是文本或网页文件（含有二进制内容）。")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        if charset in _GB_FAMILY:
            charset = "gb18030"
        if charset not in {"utf-8", "utf8", "gb18030"}:
            try:
                return data.decode(charset), charset.upper()
            except (LookupError, UnicodeDecodeError):
                pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ExtractionError("无法识别文件的编码：既不是 UTF-8，也不是 GB18030/GBK。") from exc
    try:
        data.decode("gbk")
        return text, "GBK"
    except UnicodeDecodeError:
        return text, "GB18030"


# --- Dates ----------------------------------------------------------------------------------------

_TIME = (
    r"(?:\s*(?P<hour>\d{1,2})\s*[:：时]\s*(?P<minute>\d{2})(?:\s*[:：分]\s*(?P<second>\d{2}))?)?"
)
DATE = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*(?:年\s*(?P<cmonth>\d{1,2})\s*月\s*(?P<cday>\d{1,2})\s*日"
    r"|(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\d))" + _TIME
)
# The end of a range right after a date: 至21日, 到10月2日, —21日.
_RANGE_END = re.compile(
    r"\s*(?:至|到|—|－|-|~|～)\s*(?:(?P<month>\d{1,2})\s*月\s*)?(?P<day>\d{1,2})\s*日"
)


def parse_date(match):
    """The (date, time) of a DATE match; (None, None) when it names no real day."""
    year = int(match["year"])
    month = int(match["cmonth"] or match["month"])
    day = int(match["cday"] or match["day"])
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None, None
    time = None
    if match["hour"] is not None:
        try:
            time = datetime.time(
                int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
            )
        except ValueError:
            time = None
    return date, time


def find_date(text):
    """The first real date (and time) in ``text``, or (None, None)."""
    for match in DATE.finditer(text):
        date, time = parse_date(match)
        if date:
            return date, time
    return None, None


def date_in_body(paragraphs):
    """The first date of the body; for a range (“20日至21日”) the range's last day."""
    for paragraph in paragraphs:
        for match in DATE.finditer(paragraph):
            date, _ = parse_date(match)
            if not date:
                continue
            end = _RANGE_END.match(paragraph, match.end())
            if end:
                with contextlib.suppress(ValueError):
                    date = date.replace(month=int(end["month"] or date.month), day=int(end["day"]))
            return date
    return None


# --- Lines: metadata, related items, boilerplate ------------------------------------------------

_LABELS = {
    "source": ["信息来源", "文章来源", "稿件来源", "新闻来源", "来源", "稿源", "出处"],
    "author": ["作者", "撰稿", "撰文", "记者", "通讯员", "文"],
    "editor": ["责任编辑", "责编", "编辑"],
    "date": ["发布时间", "发布日期", "发表时间", "发表日期", "更新时间", "时间", "日期"],
    "ignored": ["点击数", "点击", "浏览次数", "浏览", "阅读次数", "阅读", "字号", "访问量"],
}
_LABEL_KIND = {label: kind for kind, labels in _LABELS.items() for label in labels}
_LABEL = re.compile(
    r"(?:^|(?<=[\s【\[(（|｜丨]))("
    + "|".join(sorted(map(re.escape, _LABEL_KIND), key=len, reverse=True))
    + r")\s*[：:]\s*"
)
_BOILERPLATE = re.compile(
    r"打印本页|打印此页|【打印】|关闭窗口|【关闭】|返回顶部|返回首页|上一篇|下一篇|分享到|"
    r"版权所有|copyright|©|icp备|网站地图|联系我们|设为首页|加入收藏|当前位置|您的位置|【大\s*中\s*小】",
    re.I,
)
_RELATED_HEADING = re.compile(
    r"^[【\[]?(相关新闻|相关阅读|相关文章|相关链接|相关报道|相关信息|延伸阅读|推荐阅读)[】\]]?[：:]?$"
)
_BULLET = re.compile(r"^(?:[-–*>]\s+|[·•●◆◇▪■□○»]\s*|\d{1,2}[.、)）]\s*)")
_TRAILING_DATE = re.compile(
    r"\s*[(（\[【]?\s*(?P<date>(?:19|20)\d{2}(?:年\d{1,2}月\d{1,2}日|[-/.]\d{1,2}[-/.]\d{1,2}))"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[)）\]】]?$"
)
_TERMINAL = tuple("。！？!?；;：:…")
_CLOSERS = "”’」』）)】\"'"
MAX_META_LINE = 100


def parse_meta_line(line):
    """Fields of a metadata line (来源：… 作者：… 发布时间：…), or None if it is not one."""
    if len(line) > MAX_META_LINE:
        return None
    matches = list(_LABEL.finditer(line))
    if not matches:
        rest = DATE.sub("", line)
        if DATE.search(line) and not re.search(r"\w", re.sub(r"[年月日时分秒]", "", rest)):
            date, time = find_date(line)
            return {"date": date, "time": time} if date else None
        return None
    fields = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        kind = _LABEL_KIND[match.group(1)]
        value = line[match.end() : following.start() if following else len(line)]
        value = value.strip(" \t|｜丨【】[]()（）,，;；")
        if kind == "date":
            date, time = find_date(value)
            if date and "date" not in fields:
                fields["date"], fields["time"] = date, time
        elif kind != "ignored" and value and kind not in fields:
            fields[kind] = value
    if "date" not in fields:
        # An unlabelled date beside labelled fields: “2005年4月2日 09:00 来源：…”.
        date, time = find_date(line[: matches[0].start()])
        if date:
            fields["date"], fields["time"] = date, time
    # A body sentence that happens to contain “时间：” is long; a label line is mostly labels.
    return fields or None


def _take_meta(line, meta):
    """Fold a metadata line (来源, 作者, a date...) into ``meta``, the first value of each field
    winning; True when the line was one."""
    fields = parse_meta_line(line)
    for key, value in (fields or {}).items():
        meta.setdefault(key, value)
    return bool(fields)


def parse_related_line(line, in_related_section=False):
    """A related-news item (title, date) from a list line, or None."""
    bullet = _BULLET.match(line)
    trailing = _TRAILING_DATE.search(line)
    if not (bullet and trailing) and not (in_related_section and (bullet or trailing)):
        return None
    title = line[bullet.end() if bullet else 0 : trailing.start() if trailing else len(line)]
    title = title.strip()
    if not title:
        return None
    date = find_date(trailing["date"])[0] if trailing else None
    return RelatedItem(title, date)


_BREADCRUMB = re.compile(r"^(?:[^>›»]{1,12}\s*[>›»]\s*){2,}[^>›»]{0,30}$")


def is_boilerplate(line):
    """Short lines of site furniture: print and close links, copyright, breadcrumbs (首页 > …)."""
    return len(line) <= 60 and bool(_BOILERPLATE.search(line) or _BREADCRUMB.match(line))


# --- Repetition -----------------------------------------------------------------------------------


def remove_repetition(paragraphs):
    """Keep one copy of a body that appears twice (or more), then drop repeated paragraphs.

    The body test compares the concatenated normalised text, so a second copy wrapped into other
    paragraphs still counts as a copy. Returns (paragraphs, body_repeated, paragraphs_removed).
    """
    keys = [normalise_key(p) for p in paragraphs]
    body_repeated = False
    changed = True
    while changed and len(keys) > 1:
        changed = False
        total = "".join(keys)
        length = 0
        for cut in range(1, len(keys)):
            length += len(keys[cut - 1])
            if length * 2 > len(total):
                break
            rest = total[length:]
            if rest.startswith(total[:length]) and _is_repeats(total[:length], rest):
                paragraphs, keys = paragraphs[:cut], keys[:cut]
                body_repeated = changed = True
                break
    kept, seen = [], set()
    for paragraph, key in zip(paragraphs, keys, strict=True):
        if key and key not in seen:
            seen.add(key)
            kept.append(paragraph)
    return kept, body_repeated, len(paragraphs) - len(kept)


def _is_repeats(unit, text):
    return bool(unit) and len(text) % len(unit) == 0 and unit * (len(text) // len(unit)) == text


# --- Plain text ----------------------------------------------------------------------------------


def extract_text(text):
    """Extract a plain-text page: the first line is the title, then metadata, body, related list."""
    lines = [clean_inline(line) for line in text.splitlines()]
    # A title as wide as the widest line was hard-wrapped with the rest; its tail is the next line.
    widest = max(map(display_width, lines), default=0)
    lines = _join_wrapped_items(lines)
    page = ExtractedPage(title="", paragraphs=[], format="text")
    meta = {}
    blocks, block = [], []
    related_section = title_wrapped = False
    dropped_after_related = 0
    for line in lines:
        if not line:
            if block:
                blocks.append(block)
                block = []
            continue
        if not page.title:
            if not is_boilerplate(line):
                page.title = re.sub(r"^标题\s*[：:]\s*", "", line)
                title_wrapped = display_width(line) >= widest * 0.9
            continue
        if title_wrapped:
            title_wrapped = False
            if display_width(line) < widest * 0.9 and not parse_meta_line(line):
                page.title = _glue(page.title, line)
                continue
        if is_boilerplate(line):
            continue
        if _RELATED_HEADING.match(line):
            related_section = True
            continue
        item = parse_related_line(line, related_section)
        if item:
            page.related.append(item)
            related_section = True
            continue
        if related_section:
            dropped_after_related += 1
            continue
        if _take_meta(line, meta):
            continue
        block.append(line)
    if block:
        blocks.append(block)
    if dropped_after_related:
        page.warnings.append(f"相关新闻列表之后有 {dropped_after_related} 行无法识别，未导入。")
    page.paragraphs = _join_wrapped(blocks)
    _apply_meta(page, meta)
    return page


def _join_wrapped_items(lines):
    """Rejoin a list item wrapped over lines: a bullet line without a date, continued by up to
    three lines, the last of which ends with the date."""
    joined, index = [], 0
    while index < len(lines):
        line = lines[index]
        if _BULLET.match(line) and not _TRAILING_DATE.search(line):
            for extra in (1, 2, 3):
                following = lines[index + 1 : index + 1 + extra]
                if len(following) < extra or any(
                    not part or _BULLET.match(part) for part in following
                ):
                    break
                candidate = line
                for part in following:
                    candidate = _glue(candidate, part)
                if _TRAILING_DATE.search(candidate):
                    line = candidate
                    index += extra
                    break
        # A closing bracket wrapped onto a line of its own.
        while index + 1 < len(lines) and lines[index + 1] and not lines[index + 1].strip(_CLOSERS):
            line += lines[index + 1]
            index += 1
        joined.append(line)
        index += 1
    return joined


def _join_wrapped(blocks):
    """Turn blocks of lines into paragraphs, undoing hard wrapping.

    A blank line always ends a paragraph. Within a block a line is joined to the next when it looks
    wrapped: it does not end a sentence and is about as wide as the widest line.
    """
    widths = [display_width(line) for block in blocks for line in block]
    wrap = max(widths, default=0) * 0.7
    paragraphs = []
    for block in blocks:
        current, previous_line = block[0], block[0]
        for line in block[1:]:
            ends_sentence = current.rstrip(_CLOSERS).endswith(_TERMINAL)
            if not ends_sentence and display_width(previous_line) >= wrap:
                current = _glue(current, line)
            else:
                paragraphs.append(current)
                current = line
            previous_line = line
        paragraphs.append(current)
    return paragraphs


def _glue(left, right):
    """Join two wrapped pieces: no space between Chinese text, one space between Latin words."""
    if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return f"{left} {right}"
    return left + right


def _apply_meta(page, meta):
    page.source = meta.get("source", "")[:100]
    page.author = meta.get("author", "")[:100]
    page.editor = meta.get("editor", "")[:50]
    page.paragraphs = [p for p in page.paragraphs if normalise_key(p) != normalise_key(page.title)]
    page.paragraphs, page.body_repeated, page.paragraphs_removed = remove_repetition(
        page.paragraphs
    )
    if meta.get("date"):
        page.published_on, page.published_time = meta["date"], meta.get("time")
    else:
        page.published_on = date_in_body(page.paragraphs)
        if page.published_on:
            page.date_from_body = True
            page.warnings.append(
                f"页面没有发布日期，按正文中的第一个日期推断为 {page.published_on:%Y-%m-%d}，"
                "请核对。"
            )
        else:
            page.warnings.append("页面没有发布日期，正文中也没有日期。")
    page.title = page.title[:200]
    if not page.title:
        raise ExtractionError("没有找到标题。")
    if not page.paragraphs:
        raise ExtractionError("没有找到正文。")


# --- HTML ---------------------------------------------------------------------------------------

_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "object", "embed", "form", "button", "select",
    "textarea", "input", "svg", "canvas", "template", "nav", "footer", "aside", "map",
)  # fmt: skip
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "tbody", "thead", "tr", "td", "th",
    "blockquote", "pre", "center", "figure", "figcaption", "address", "hr", "body",
}  # fmt: skip
_BOILERPLATE_ATTR = re.compile(
    r"(?:^|[\s_-])(nav|navbar|menu|footer|foot|breadcrumbs?|crumbs?|sidebar|share|copyright|"
    r"banner|topbar|toolbar|login|search|advert|ads?|comments?|pager|pagination|friendlinks?|"
    r"logo|weizhi|dqwz|bottom)(?:$|[\s_-])",
    re.I,
)
_RELATED_ATTR = re.compile(r"related|xgxw|xgwz|xgyd", re.I)
_TITLE_SEPARATORS = re.compile(r"\s*[_|｜]\s*|\s+[-–—]\s+")
_HTML_HINT = re.compile(r"<\s*(!doctype|html|head|body|p|div|br|title|table)\b", re.I)


def looks_like_html(text, name=""):
    if name.lower().endswith((".htm", ".html", ".shtml", ".xhtml")):
        return True
    return bool(_HTML_HINT.search(text[:2000]))


def extract_html(text):
    """Extract an HTML page: find the body container by text density, then title, meta, related."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        doc = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError("网页无法解析。") from exc
    page = ExtractedPage(title="", paragraphs=[], format="html")
    head_title = _head_title(doc)
    page.url = _canonical_url(doc)
    meta = _meta_tags(doc)

    for element in doc.iter(*_DROP_TAGS):
        _drop(element)
    for element in list(doc.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(element)
    body = doc.find("body")
    if body is None:
        body = doc
    for element in list(body.iter()):
        if not isinstance(element.tag, str):
            continue
        attrs = f"{element.get('class', '')} {element.get('id', '')}"
        if element.tag == "header" and any(
            a.tag in ("article", "main") for a in element.iterancestors()
        ):
            continue
        boilerplate = element.tag == "header" or _BOILERPLATE_ATTR.search(attrs)
        if boilerplate and not _RELATED_ATTR.search(attrs) and element.find(".//h1") is None:
            _drop(element)

    heading = _title_element(body, head_title)
    page.title = clean_inline(heading.text_content()) if heading is not None else ""
    if not page.title:
        page.title = _TITLE_SEPARATORS.split(head_title)[0] if head_title else ""
    page.title = page.title or meta.get("title", "")

    containers = _body_containers(body)
    if not containers:
        raise ExtractionError("没有找到正文。")
    # Only the text is imported: a picture of another site is never hot-linked, and the server
    # does not fetch it. The report names each one so an editor can upload those that matter.
    pictures = [
        img.get("src", "").strip() or "?"
        for container in containers
        for img in container.iter("img")
    ]
    if pictures:
        shown = "、".join(src[:120] for src in pictures[:5])
        more = f"等 {len(pictures)} 张" if len(pictures) > 5 else ""
        page.warnings.append(
            f"正文中的图片没有导入（{shown}{more}）：本站不引用外站图片。"
            "需要的图片请保存后在编辑器中用“插入图片”上传。"
        )
    page.related = _related_items(body, containers)

    lines = []
    for container in containers:
        lines += block_texts(container)
    # Metadata sits between the title and the body, sometimes inside the container.
    outside = [line for line in block_texts(body) if len(line) <= MAX_META_LINE]
    paragraphs = []
    for line in lines:
        if is_boilerplate(line) or _RELATED_HEADING.match(line):
            continue
        if _take_meta(line, meta):
            continue
        paragraphs.append(line)
    for line in outside:
        _take_meta(line, meta)
    page.paragraphs = paragraphs
    _apply_meta(page, meta)
    return page


def _drop(element):
    """Remove an element but keep its tail text (which belongs to the parent)."""
    if element.getparent() is not None:
        element.drop_tree()


def _head_title(doc):
    for xpath in ('//meta[@property="og:title"]/@content', '//meta[@name="ArticleTitle"]/@content'):
        found = doc.xpath(xpath)
        if found and found[0].strip():
            return clean_inline(found[0])
    title = doc.find(".//title")
    return clean_inline(title.text_content()) if title is not None else ""


def _canonical_url(doc):
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = [url.strip() for url in doc.xpath(xpath)]
        if found and re.match(r"https?://", found[0]):
            return found[0][:500]
    return ""


def _meta_tags(doc):
    """Publication metadata from <meta> tags, as Chinese government sites commonly set them."""
    meta = {}
    names = {
        "source": ("contentsource", "source", "article:source"),
        "author": ("author", "article:author"),
        "date": ("pubdate", "publishdate", "article:published_time", "firstpublishedtime"),
    }
    for element in doc.iter("meta"):
        key = (element.get("name") or element.get("property") or "").lower()
        value = clean_inline(element.get("content") or "")
        if not value:
            continue
        for field_name, keys in names.items():
            if key in keys and field_name not in meta:
                if field_name == "date":
                    date, time = find_date(value)
                    if date:
                        meta["date"], meta["time"] = date, time
                else:
                    meta[field_name] = value
    return meta


def _title_element(body, head_title):
    """The heading whose text best matches the <title> (or the first <h1> when none matches)."""
    candidates = list(body.iter("h1", "h2", "h3"))
    candidates += [
        el
        for el in body.iter("div", "p", "span", "td", "strong")
        if re.search(r"title|bt\b|biaoti", f"{el.get('class', '')} {el.get('id', '')}", re.I)
    ]
    best, best_length = None, 0
    head_key = normalise_key(head_title)
    for element in candidates:
        key = normalise_key(element.text_content())
        matches_head = head_key and (key in head_key or head_key in key)
        if key and len(key) <= 200 and matches_head and len(key) > best_length:
            best, best_length = element, len(key)
    if best is not None:
        return best
    return next(body.iter("h1"), None)


def _own_text(element):
    """Text directly in an element (its text and its inline children's), links left out."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _BLOCK_TAGS and child.tag != "a":
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return clean_inline("".join(parts))


def _body_containers(body):
    """The element holding the article text, with sibling elements that continue it.

    Scoring as readability does: each text-bearing element gives its text length to its parent
    and half of it to the grandparent; paragraphs split over sibling blocks are gathered back.
    """
    scores = {}
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in ("a", "li", "h1", "h2", "h3"):
            continue
        length = len(normalise_key(_own_text(element)))
        if length < 10:
            continue
        holder = element if element.tag not in ("p", "span", "font", "strong", "b") else None
        parent = element.getparent()
        if holder is None:
            holder, parent = parent, parent.getparent() if parent is not None else None
        if holder is None:
            continue
        scores[holder] = scores.get(holder, 0) + length
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + length / 2
    if not scores:
        return []
    best = max(scores, key=scores.get)
    parent = best.getparent()
    if parent is None:
        return [best]
    return [
        sibling
        for sibling in parent
        if sibling is best or scores.get(sibling, 0) >= scores[best] * 0.2
    ]


def _related_items(body, containers):
    """Related-news items from lists after (or at the end of) the body; the lists are removed."""
    order = {element: index for index, element in enumerate(body.iter())}
    start = min(order.get(container, 0) for container in containers)
    inside = {el for container in containers for el in container.iter()}
    items, used = [], []
    for element in list(body.iter("ul", "ol", "div", "table", "dl")):
        if order.get(element, -1) < start or any(element in u.iter() for u in used):
            continue
        attrs = f"{element.get('class', '')} {element.get('id', '')}"
        headed = _RELATED_ATTR.search(attrs) or _preceded_by_related_heading(element)
        entries = _list_entries(element) if element.tag in ("ul", "ol") or headed else []
        if not entries:
            continue
        dated = sum(1 for _, date in entries if date)
        adjacent = (
            element in inside
            or element.getparent() in inside
            or any(element in container.itersiblings() for container in containers)
        )
        if headed or (element.tag in ("ul", "ol") and adjacent and dated * 2 >= len(entries)):
            items += [RelatedItem(title, date) for title, date in entries]
            used.append(element)
    for element in used:
        heading = element.getprevious()
        if heading is not None and _RELATED_HEADING.match(clean_inline(heading.text_content())):
            _drop(heading)
        _drop(element)
    return items


def _preceded_by_related_heading(element):
    previous = element.getprevious()
    if previous is None:
        parent = element.getparent()
        previous = parent.getprevious() if parent is not None and len(parent) == 1 else None
    if previous is None:
        return False
    return bool(_RELATED_HEADING.match(clean_inline(previous.text_content())))


def _list_entries(element):
    """(title, date) per entry: the link text (else the line without its date) and the date."""
    entries = []
    rows = element.findall("li") or element.findall(".//li") or element.findall(".//tr")
    if rows:
        for row in rows:
            link = row.find(".//a")
            text = clean_inline(row.text_content())
            date_match = _TRAILING_DATE.search(text) or DATE.search(text)
            title = clean_inline(link.text_content()) if link is not None else ""
            if not title:
                title = text[: date_match.start()] if date_match else text
            title = _BULLET.sub("", title).strip()
            if title:
                date = find_date(date_match.group(0))[0] if date_match else None
                entries.append((title, date))
        return entries
    for line in block_texts(element):
        item = parse_related_line(line, in_related_section=True)
        if item:
            entries.append((item.title, item.date))
    return entries


def block_texts(element):
    """The text of an element as lines: one per block element, split at <br>."""
    lines, buffer = [], []

    def flush():
        line = clean_inline("".join(buffer))
        buffer.clear()
        if line:
            lines.append(line)

    def walk(node):
        if not isinstance(node.tag, str):
            buffer.append(node.tail or "")
            return
        block = node.tag in _BLOCK_TAGS
        if block or node.tag == "br":
            flush()
        buffer.append(node.text or "")
        for child in node:
            walk(child)
        if block:
            flush()
        buffer.append(node.tail or "")

    walk(element)
    flush()
    return lines


# --- Entry point --------------------------------------------------------------------------------


def extract(data, name=""):
    """Extract a page from its bytes; ``name`` (the file name) only hints at the format."""
    text, encoding = decode(data, name)
    page = extract_html(text) if looks_like_html(text, name) else extract_text(text)
    page.encoding = encoding
    return page
