"""Finding known agencies and meetings in article text.

Every way an agency is written (full name, short name, the report's wording, aliases) is a
*name*; the name of the division an agency sits in (富裕县) is only a *place*. A name that belongs
to one agency is a mention of it. A place, or a name shared by several agencies, is resolved by the
words right after it (富裕县 + 政府 → the government, 富裕县 + 技监局 → the bureau); what stays
ambiguous is reported for the editor and never linked by guess.
"""

import re
from dataclasses import dataclass, field

from partnerships.models import Agency, HelpingPair

KIND_WORDS = [
    ("人民政府", Agency.Kind.GOVERNMENT),
    ("政府", Agency.Kind.GOVERNMENT),
    ("质量技术监督局", Agency.Kind.BUREAU),
    ("质量技术监督部门", Agency.Kind.BUREAU),
    ("技术监督局", Agency.Kind.BUREAU),
    ("质监局", Agency.Kind.BUREAU),
    ("技监局", Agency.Kind.BUREAU),
]
CONTEXT_CHARS = 12


@dataclass(frozen=True)
class Ambiguity:
    """A mention that could be several agencies (or a place rather than an agency)."""

    words: str
    context: str
    candidates: tuple[str, ...]

    def __str__(self):
        return f"“{self.words}”（…{self.context}…）可能指：{'、'.join(self.candidates)}；未自动关联"


@dataclass
class Mentions:
    agencies: list = field(default_factory=list)
    ambiguities: list = field(default_factory=list)


class AgencyMatcher:
    """Longest-match-first search for agency names in text."""

    def __init__(self, agencies):
        self.agencies = {agency.pk: agency for agency in agencies}
        self.names = {}
        self.places = {}
        for agency in self.agencies.values():
            for name in _names(agency):
                self.names.setdefault(name, set()).add(agency.pk)
            division = agency.division
            if division is not None and agency.kind in (
                Agency.Kind.GOVERNMENT,
                Agency.Kind.BUREAU,
            ):
                for place in {division.name, division.current_name} - {""}:
                    self.places.setdefault(place, set()).add(agency.pk)
        forms = set(self.names) | set(self.places)
        # Python tries alternatives in order: longest first gives the longest match at a position.
        self.pattern = (
            re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))
            if forms
            else None
        )

    @classmethod
    def from_database(cls):
        return cls(Agency.objects.select_related("division").order_by("pk"))

    def find(self, text):
        if self.pattern is None:
            return Mentions()
        linked, pending = [], []
        matches = list(self.pattern.finditer(text))
        for index, match in enumerate(matches):
            words = match.group(0)
            is_name = words in self.names
            candidates = self.names.get(words) or self.places[words]
            following = text[match.end() : match.end() + 8]
            if is_name and len(candidates) == 1:
                linked.append(next(iter(candidates)))
                continue
            kind = next((k for word, k in KIND_WORDS if following.startswith(word)), None)
            if kind is not None:
                of_kind = [pk for pk in candidates if self.agencies[pk].kind == kind]
                if len(of_kind) == 1:
                    linked.append(of_kind[0])
                    continue
                if not of_kind and not is_name:
                    continue  # an agency we do not know, such as a place's other bureau
            qualifies_next = index + 1 < len(matches) and matches[index + 1].start() == match.end()
            if not is_name and qualifies_next:
                continue  # a place written before a name: 江苏省 in 江苏省常熟市技监局
            start = max(0, match.start() - CONTEXT_CHARS)
            pending.append((match, candidates, text[start : match.end() + CONTEXT_CHARS]))
        found = list(dict.fromkeys(linked))
        mentions = Mentions(agencies=[self.agencies[pk] for pk in found])
        reported = set()
        for match, candidates, context in pending:
            words = match.group(0)
            # A bare place whose agency the text names elsewhere is no open question.
            if candidates & set(found) or words in reported:
                continue
            reported.add(words)
            names = tuple(self.agencies[pk].name for pk in sorted(candidates, key=self._order_key))
            mentions.ambiguities.append(Ambiguity(words, context, names))
        return mentions

    def _order_key(self, pk):
        agency = self.agencies[pk]
        return (list(Agency.Kind.values).index(agency.kind), agency.name)


def _names(agency):
    names = getattr(agency, "names", None)
    if names is None:
        names = [agency.name, agency.short_name, *agency.alias_list]
    return [name for name in names if name]


def find_meeting(text, meetings):
    """The meeting whose title the text names (the longest title when several do)."""
    named = [meeting for meeting in meetings if meeting.title and meeting.title in text]
    return max(named, key=lambda meeting: len(meeting.title), default=None)


def pairs_of(agencies):
    """Helping pairs both of whose agencies are among ``agencies``."""
    ids = [agency.pk for agency in agencies]
    if len(ids) < 2:
        return []
    return list(HelpingPair.objects.filter(helper__in=ids, helped__in=ids).order_by("order", "pk"))
