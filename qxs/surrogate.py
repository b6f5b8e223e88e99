"""Surrogate keys: what a public page shows, named so that a change finds every page showing it.

A view (or anything it calls) names what the page shows with :func:`add`; the page-cache
middleware sends the keys in the ``xkey`` response header, which Varnish (vmod xkey, from
``varnish-modules``) indexes. A content change purges the keys it touches (:mod:`qxs.purge`), and
Varnish drops every page that carries one of them.

The names, one scheme for the whole site:

==================  ===============================================================================
``site``            every public page (header, footer, site identity, column navigation)
``home``            the home page
``news``            every page whose *set* of articles changes when any article is published,
                    unpublished or reordered: the news lists, archives, the home page's latest
                    news, the feeds
``article-<pk>``    every page that shows article ``pk``: its own page, each list row, related-news
                    boxes, previous/next links, the home page, feeds, pair/agency/meeting pages
``column-<pk>``     pages listing the column's articles (the column page and its feed)
``tag-<pk>``        pages listing the tag's articles (the tag page and its feed)
``meeting-<pk>``    pages showing meeting ``pk`` (its page, the meetings list, the home page)
``pair-<pk>``       pages showing helping pair ``pk``
``agency-<pk>``     pages showing agency ``pk``
``division-<pk>``   pages showing division ``pk``
``meetings``        the list of meetings (its set of rows)
``pairs``           the list of pairs and the pairing diagram (its set of rows)
``agencies``        the list of agencies (its set of rows)
``topic-<pk>``      pages showing topic ``pk`` (its page and feed)
``topics``          the set of public topics: the topic list, the home page's current topics,
                    the site maps
==================  ===============================================================================

Keys are ASCII and space-separated in the header. Both language versions of a URL carry the same
keys, so one purge reaches both.
"""

HEADER = "xkey"

SITE = "site"
HOME = "home"
NEWS = "news"
MEETINGS = "meetings"
PAIRS = "pairs"
AGENCIES = "agencies"
TOPICS = "topics"

_REQUEST_ATTRIBUTE = "_qxs_surrogate_keys"


def article(pk):
    return f"article-{pk}"


def column(pk):
    return f"column-{pk}"


def tag(pk):
    return f"tag-{pk}"


def meeting(pk):
    return f"meeting-{pk}"


def pair(pk):
    return f"pair-{pk}"


def agency(pk):
    return f"agency-{pk}"


def division(pk):
    return f"division-{pk}"


def topic(pk):
    return f"topic-{pk}"


def add(request, *keys):
    """Record that the page answering ``request`` shows what ``keys`` name (falsy keys skipped)."""
    collected = request.__dict__.setdefault(_REQUEST_ATTRIBUTE, set())
    collected.update(key for key in keys if key)


def keys_of(request):
    """The keys recorded for ``request``, sorted (empty when none were)."""
    return sorted(request.__dict__.get(_REQUEST_ATTRIBUTE, ()))
