"""The editors' manual (docs/editors.md) and its pictures (docs/img/).

The pictures are made by ``make screenshots`` and committed; these tests need no browser. They
fail when the manual shows a picture that is missing, when a picture is no longer shown by any
document (an orphan left behind by a renamed screenshot), or when a file is not a sound PNG of
a reasonable size.
"""

import re
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MANUAL = DOCS / "editors.md"
PICTURES = DOCS / "img"
# Kept in step with tests/e2e/test_manual_screenshots.py.
MAX_BYTES = 250 * 1024
MAX_WIDTH = 1280
# ![alt](path) or ![alt](path "title"), and <img src="path">.
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc=\"(?P<path>[^\"]+)\"")


def images_in(document):
    """``(alt, target)`` for every picture a Markdown document shows, paths made absolute."""
    text = document.read_text(encoding="utf-8")
    found = [(m["alt"], m["path"]) for m in MARKDOWN_IMAGE.finditer(text)]
    found += [(None, m["path"]) for m in HTML_IMAGE.finditer(text)]
    return [
        (alt, (document.parent / path.split("#")[0]).resolve())
        for alt, path in found
        if "://" not in path
    ]


def documents():
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def pictures():
    return sorted(PICTURES.glob("*.png"))


def test_every_picture_in_the_manual_exists():
    """Each picture docs/editors.md shows is a file under docs/img/, with alt text."""
    shown = images_in(MANUAL)
    assert len(shown) >= 10, "the manual shows a screenshot per task"
    for alt, target in shown:
        assert target.is_file(), f"docs/editors.md shows {target.relative_to(ROOT)}: missing"
        assert PICTURES in target.parents, f"{target} is outside docs/img/"
        assert alt and alt.strip(), f"{target.name} has no alt text in docs/editors.md"


def test_every_picture_is_shown_somewhere():
    """No orphan: each PNG under docs/img/ is shown by the README or a document in docs/."""
    shown = {target for document in documents() for _alt, target in images_in(document)}
    orphans = [p.relative_to(ROOT).as_posix() for p in pictures() if p.resolve() not in shown]
    assert not orphans, f"pictures no document shows (delete or reference them): {orphans}"


def test_the_readme_pictures_exist():
    """The README's three pictures are made with the manual's (home, pairs, desk)."""
    for name in ["home.png", "pairs.png", "desk.png"]:
        assert (PICTURES / name).is_file(), f"docs/img/{name} is missing: run make screenshots"


@pytest.mark.parametrize("path", pictures(), ids=lambda path: path.name)
def test_each_picture_is_a_small_sound_png(path):
    """A real PNG (not a Git LFS pointer or a renamed JPEG), at most 1280 pixels wide and
    250 KB."""
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        width, height = image.size
    assert 0 < width <= MAX_WIDTH, f"{path.name} is {width} pixels wide"
    assert height > 0
    assert path.stat().st_size <= MAX_BYTES, f"{path.name} is {path.stat().st_size} bytes"


def heading_anchor(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens
    (Chinese punctuation such as （）、： is dropped too)."""
    kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def test_the_table_of_contents_leads_to_headings():
    """Every ``](#anchor)`` link in the manual names one of its headings."""
    text = MANUAL.read_text(encoding="utf-8")
    anchors = {heading_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links, "the manual has a table of contents"
    assert not [link for link in links if link not in anchors], anchors
