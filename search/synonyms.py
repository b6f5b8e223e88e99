"""Query expansion with editors' synonyms and agencies' names, short names and aliases."""

from django.core.cache import cache

from partnerships.models import Agency

from .models import SearchSynonym
from .text import normalize, query_terms

CACHE_KEY = "search:synonym-groups:v1"
CACHE_SECONDS = 60 * 60
# A term expands to at most this many alternatives (itself included), so no query can blow up.
MAX_ALTERNATIVES = 8


def synonym_groups():
    """Groups of normalised names that mean the same, longest first within each group.

    Cached until an agency or a synonym changes (the receivers clear the cache).
    """
    groups = cache.get(CACHE_KEY)
    if groups is None:
        groups = _load_groups()
        cache.set(CACHE_KEY, groups, CACHE_SECONDS)
    return groups


def clear_synonym_cache():
    cache.delete(CACHE_KEY)


def _load_groups():
    raw_groups = [synonym.term_list for synonym in SearchSynonym.objects.all()]
    for name, short_name, aliases in Agency.objects.values_list("name", "short_name", "aliases"):
        raw_groups.append([name, short_name, *aliases.splitlines()])
    groups = []
    for raw in raw_groups:
        # Only whole words (letters, digits, CJK) of two characters or more take part: a single
        # character would match almost everything.
        members = {" ".join(query_terms(normalize(term))) for term in raw}
        members = sorted((m for m in members if len(m) >= 2 and " " not in m), key=len)[::-1]
        if len(members) >= 2:
            groups.append(members)
    return groups


def expand(term, groups):
    """``term`` and the ways of writing it that a synonym group gives, as a list.

    Within a group, the longest member found in the term is replaced by each other member, so
    常熟市技监局 also finds 常熟市质量技术监督局.
    """
    alternatives = [term]
    for members in groups:
        found = next((member for member in members if member in term), None)
        if found is None:
            continue
        for member in members:
            candidate = term.replace(found, member)
            if candidate not in alternatives:
                alternatives.append(candidate)
            if len(alternatives) >= MAX_ALTERNATIVES:
                return alternatives
    return alternatives
