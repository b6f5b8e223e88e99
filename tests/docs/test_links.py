"""Every relative link and image in README.md and docs/ leads somewhere.

A relative target must exist in the checkout, and a ``#fragment`` must name a heading of the
target file as GitHub turns headings into anchors (or an explicit ``<a id>``/``<a name>``).
External links (http, https, mailto) are not fetched. Links inside code are not links.
"""

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# [text](target "title") and ![alt](target); the target may be wrapped in <>.
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
HTML_TARGET = re.compile(r"<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*[\"']([^\"']+)[\"']", re.I)
HTML_ANCHOR = re.compile(r"<a\b[^>]*?\b(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.I)
ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def prose_lines(text):
    """(line number, line) outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        match = FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        yield number, line


def heading_text(markdown):
    """A heading's text as GitHub renders it: no markup, links reduced to their text."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("`", "")
    return re.sub(r"\*\*|\*|~~", "", text)


def github_slug(text):
    """GitHub's anchor for a heading (github-slugger): lower case, punctuation dropped, spaces
    to hyphens; letters, digits, marks, ``_`` and ``-`` of any script stay."""
    kept = []
    for char in text.strip().lower():
        category = unicodedata.category(char)
        if char in " -_" or category[0] in "LNM":
            kept.append("-" if char == " " else char)
    return "".join(kept)


def anchors(path):
    """Every fragment a link may use to reach into ``path``."""
    found, seen = set(), {}
    lines = list(prose_lines(path.read_text(encoding="utf-8")))
    headings = []
    for index, (number, line) in enumerate(lines):
        match = ATX_HEADING.match(line)
        if match:
            headings.append(match.group(2))
        elif SETEXT_UNDERLINE.match(line) and index:
            previous_number, previous = lines[index - 1]
            if previous_number == number - 1 and previous.strip():
                headings.append(previous.strip())
        found.update(HTML_ANCHOR.findall(line))
    for heading in headings:
        slug = github_slug(heading_text(heading))
        if slug in seen:
            seen[slug] += 1
            found.add(f"{slug}-{seen[slug]}")
        else:
            seen[slug] = 0
            found.add(slug)
    return found


def targets(path):
    """(line number, target) of every link and image in ``path``."""
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        line = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for pattern in (INLINE, REFERENCE, HTML_TARGET):
            for target in pattern.findall(line):
                yield number, target.strip("<>")


def broken_links(path):
    problems = []
    for number, target in targets(path):
        if EXTERNAL.match(target):
            continue
        location, _, fragment = target.partition("#")
        linked = (path.parent / unquote(location)).resolve() if location else path
        where = f"{path.relative_to(ROOT)}:{number}: {target}"
        if not linked.exists():
            problems.append(f"{where}: {linked.relative_to(ROOT.resolve())} does not exist")
        elif fragment:
            if linked.suffix != ".md":
                problems.append(f"{where}: an anchor into a file that is not Markdown")
            elif unquote(fragment) not in anchors(linked):
                problems.append(f"{where}: no heading gives the anchor #{fragment}")
    return problems


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_and_images_resolve(path):
    assert broken_links(path) == []


def test_the_guides_are_checked():
    names = {str(path.relative_to(ROOT)) for path in DOCUMENTS}
    assert {"README.md", "docs/architecture.md", "docs/operations.md"} <= names


@pytest.mark.parametrize(
    "heading, slug",
    [
        ("The page cache: never stale", "the-page-cache-never-stale"),
        ("`make bench`", "make-bench"),
        ("Two commands", "two-commands"),
        ("头条 and pins", "头条-and-pins"),
        ("Backup and restore — a drill", "backup-and-restore--a-drill"),
        ("What `/healthz` answers", "what-healthz-answers"),
        ("[Links](other.md) and **bold**", "links-and-bold"),
        ("nginx → Varnish → gunicorn", "nginx--varnish--gunicorn"),
        ("snake_case stays", "snake_case-stays"),
    ],
)
def test_github_slug(heading, slug):
    assert github_slug(heading_text(heading)) == slug


def test_broken_links_are_found(tmp_path, monkeypatch):
    """The checker itself fails on a missing file, a missing anchor and a missing image."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "other.md").write_text(
        "# Other\n\n## Same\n\n## Same\n\n## The `make bench` run\n", encoding="utf-8"
    )
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n"
        "[ok](other.md#same-1) [ok](#page) [ok](https://example.com/x.md)\n"
        "[ok](other.md#the-make-bench-run)\n"
        "[gone](missing.md) [no anchor](other.md#same-2) ![picture](img/none.png)\n"
        "`[code](not-a-link.md)`\n\n```\n[fenced](not-a-link.md)\n```\n",
        encoding="utf-8",
    )
    problems = broken_links(page)
    assert [problem.split(": ")[1] for problem in problems] == [
        "missing.md",
        "other.md#same-2",
        "img/none.png",
    ]
