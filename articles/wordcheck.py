"""The 错敏字 check: common wrong words (错别字) and words that must not appear.

Both lists are kept in the admin (``WrongWord``, ``ForbiddenWord``); the starting lists ship in
``articles/data/wordcheck.json`` and are loaded by a data migration. The check runs when an article
is submitted and when it is published (``articles.services.move_article``), over the title, the
summary and the body's text, and the article's form shows its hits highlighted with the
suggestion.

Matching is plain substring matching, longest word first (Chinese has no spaces to split words
at), so "一如继往" is reported once as itself and not also as any shorter entry inside it.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ForbiddenWord, WrongWord

#: Characters of text shown on each side of a hit.
CONTEXT = 12
#: What is checked, in the order hits are reported.
FIELDS = {
    "title": gettext_lazy("标题"),
    "summary": gettext_lazy("摘要"),
    "body": gettext_lazy("正文"),
}
WRONG, FORBIDDEN = "wrong", "forbidden"

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr|td|th|table|figcaption)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Hit:
    """One occurrence of a listed word in one field."""

    field: str
    kind: str
    word: str
    suggestion: str
    before: str
    after: str

    @property
    def field_label(self):
        return FIELDS[self.field]

    @property
    def kind_label(self):
        return _("错别字") if self.kind == WRONG else _("禁用词")

    @property
    def html(self):
        """The hit in its context, the word marked, with the suggestion (all escaped)."""
        return format_html("{}<mark>{}</mark>{}", self.before, self.word, self.after)

    def describe(self):
        """One line for the record of a status change."""
        if self.suggestion:
            return _("%(field)s：%(word)s → %(suggestion)s") % {
                "field": self.field_label,
                "word": self.word,
                "suggestion": self.suggestion,
            }
        return _("%(field)s：%(word)s（%(kind)s）") % {
            "field": self.field_label,
            "word": self.word,
            "kind": self.kind_label,
        }


class WordLists:
    """The active entries of both lists, read once (two queries) and matched many times."""

    def __init__(self, wrong, forbidden):
        self.entries = {}
        for word, suggestion in forbidden:
            self.entries[word] = (FORBIDDEN, suggestion)
        for word, correct in wrong:
            self.entries.setdefault(word, (WRONG, correct))
        words = sorted((w for w in self.entries if w), key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, words))) if words else None

    @classmethod
    def load(cls):
        return cls(
            WrongWord.objects.filter(active=True).values_list("wrong", "correct"),
            ForbiddenWord.objects.filter(active=True).values_list("word", "suggestion"),
        )

    def check_text(self, text, field):
        if self.pattern is None or not text:
            return []
        hits = []
        for match in self.pattern.finditer(text):
            kind, suggestion = self.entries[match.group()]
            hits.append(
                Hit(
                    field=field,
                    kind=kind,
                    word=match.group(),
                    suggestion=suggestion,
                    before=text[max(0, match.start() - CONTEXT) : match.start()],
                    after=text[match.end() : match.end() + CONTEXT],
                )
            )
        return hits

    def check(self, *, title="", summary="", body=""):
        """Hits in a title, summary and (HTML) body, in that order."""
        texts = {"title": title, "summary": summary, "body": html_to_text(body)}
        return [hit for field, text in texts.items() for hit in self.check_text(text, field)]


def html_to_text(html):
    """The visible text of a body, one line per block, so no hit spans two paragraphs."""
    text = _BLOCK_END.sub("\n", html or "")
    return unescape(_TAG.sub("", text))


def check_article(article, lists=None):
    """The hits in an article's title, summary and body."""
    lists = lists or WordLists.load()
    return lists.check(title=article.title, summary=article.summary, body=article.body)


def describe_hits(hits):
    return "；".join(hit.describe() for hit in hits)
