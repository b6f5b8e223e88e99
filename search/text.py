"""Normalising and tokenising Chinese text the same way for documents and queries.

Normalisation folds full-width to half-width forms (NFKC), traditional to simplified characters
(OpenCC) and case, one character at a time, so the normalised text has exactly as many characters as
the original. That lets a match found in normalised text be highlighted at the same offsets in the
text the reader sees.

Tokenisation follows Lucene's CJKAnalyzer: a run of CJK characters becomes overlapping bigrams
(质量技术 → 质量 量技 技术), plus the run's last character on its own, so every character starts at
least one token and a one-character query can be answered with a prefix match (技:* finds 技术).
Latin letters and digits are split where they meet (ISO9001 → iso 9001, 3C → 3 c), so "ISO9001"
and "ISO 9001" find each other.
"""

import functools
import html
import itertools
import re
import unicodedata

import opencc

# CJK ideographs (with extensions and compatibility forms), kana and hangul: scripts written without
# spaces, indexed as bigrams.
CJK_RANGES = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f"
)
TOKEN_RE = re.compile(rf"([{CJK_RANGES}]+)|([^\W\d_{CJK_RANGES}]+)|(\d+)")
# A query term: a run of letters, digits and CJK characters; everything else separates terms.
TERM_RE = re.compile(r"[^\W_]+")
TAG_RE = re.compile(r"<[^>]*>")


@functools.cache
def _t2s():
    return opencc.OpenCC("t2s")


class _FoldTable(dict):
    """``str.translate`` table that works out each character's folded form on first sight."""

    def __missing__(self, codepoint):
        char = chr(codepoint)
        if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co"}:
            folded = " "  # control characters, NUL and the like: a plain separator
        else:
            folded = _t2s().convert(unicodedata.normalize("NFKC", char)).lower()
            if len(folded) != 1:
                # Keep one character for one: expansions such as ㈱ → (株) would shift offsets.
                folded = char.lower() if len(char.lower()) == 1 else char
        self[codepoint] = folded
        return folded


FOLD_TABLE = _FoldTable()


def normalize(text):
    """Fold width, script and case; the result is exactly as long as ``text``."""
    return text.translate(FOLD_TABLE)


def html_to_text(markup):
    """Plain text of sanitised article HTML (tags become spaces, entities are decoded)."""
    return html.unescape(TAG_RE.sub(" ", markup or ""))


def index_tokens(normalized):
    """Tokens of already-normalised text as a space-separated string, in order, for to_tsvector."""
    parts = []
    for cjk, letters, digits in TOKEN_RE.findall(normalized):
        if cjk:
            if len(cjk) > 1:
                parts.append(" ".join(map(str.__add__, cjk, cjk[1:])))
            parts.append(cjk[-1])
        else:
            parts.append(letters or digits)
    return " ".join(parts)


def query_terms(normalized):
    """The search terms of a normalised query: runs of letters, digits and CJK characters."""
    return TERM_RE.findall(normalized)


def term_tsquery(term):
    """A PostgreSQL tsquery (raw syntax) that finds ``term`` as a contiguous phrase.

    Tokens only ever contain letters, digits and CJK characters, so quoting them is enough to keep
    any operator out of the query.
    """
    tokens = []
    for cjk, letters, digits in TOKEN_RE.findall(term):
        if cjk and len(cjk) == 1:
            tokens.append(f"'{cjk}':*")
        elif cjk:
            tokens.extend(f"'{a}{b}'" for a, b in itertools.pairwise(cjk))
        else:
            tokens.append(f"'{letters or digits}'")
    return " <-> ".join(tokens)
