"""Highlighted snippets: everything is escaped first, then matches are wrapped in <mark>."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import normalize


def match_spans(text, needles):
    """Sorted, merged ``(start, end)`` offsets of the normalised needles in ``text``."""
    normalized = normalize(text)
    spans = []
    for needle in needles:
        start = normalized.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = normalized.find(needle, start + len(needle))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text, needles, width=None):
    """``text`` escaped, with the needles marked; cut to ``width`` characters around the first
    match when a width is given. Normalisation keeps offsets, so traditional or full-width text
    is marked where its simplified, half-width form matched.
    """
    text = " ".join(text.split())
    spans = match_spans(text, needles)
    begin, end = 0, len(text)
    if width and len(text) > width:
        begin = max(0, min(spans[0][0] - width // 4, len(text) - width)) if spans else 0
        end = begin + width
    pieces = ["…"] if begin > 0 else []
    position = begin
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        pieces += [escape(text[position:start]), "<mark>", escape(text[start:stop]), "</mark>"]
        position = stop
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))  # every piece of reader-visible text went through escape()


def snippet(texts, needles, width=120):
    """A highlighted excerpt from the first of ``texts`` that contains a match."""
    texts = [text for text in texts if text and text.strip()]
    for text in texts:
        if match_spans(text, needles):
            return highlight(text, needles, width)
    return highlight(texts[0], needles, width) if texts else ""
