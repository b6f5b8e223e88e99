"""Hostile and malformed requests are refused cleanly: 400 (or 404/405), never a 500 or a traceback.

The property-based test sends random and hostile query strings, path segments, headers and form
data to every public URL the resolver knows. It runs a fixed, derandomised set of examples so CI is
repeatable; ``HYPOTHESIS_PROFILE=deep`` runs many more, freshly random, on a developer's machine.
"""

import os
import string

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Article, Column
from partnerships.models import Agency, Division, HelpingPair, Meeting
from portal.sitemaps import sitemaps
from tests.factories import ArticleFactory

PROFILES = {
    # The fixture's rows are only read, so sharing them between examples is fine.
    "ci": {"max_examples": 120, "derandomize": True},
    "deep": {"max_examples": 3000, "derandomize": False},
}
PROFILE = hypothesis_settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    **PROFILES[os.environ.get("HYPOTHESIS_PROFILE", "ci")],
)

# Not public pages: the admin has its own tests.
EXCLUDED_NAMESPACES = {"admin"}


def public_routes(patterns=None, prefix=""):
    """(route, converters) for every URL pattern outside the admin: ``route`` keeps its
    ``<type:name>`` parts for the test to fill in."""
    routes = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            routes += public_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            routes.append(route.lstrip("^").rstrip("$"))
    return routes


HOSTILE_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2004-13-45",
    "9999-99",
    "../../etc/passwd",
    "%00",
    "\x00",
    "\ufeff",
    "'; DROP TABLE articles_article; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "%(name)s",
    "齐齐哈尔" * 200,
    "ｑｘｓ全角",
    "\u202e\u200b",
    "a" * 5000,
]
KNOWN_PARAMETERS = [
    "page",
    "q",
    "column",
    "tag",
    "agency",
    "province",
    "year",
    "month",
    "start",
    "end",
    "date_from",
    "date_to",
    "from",
    "to",
    "sort",
    "order",
    "format",
    "size",
    "font",
    "next",
    "language",
    "kind",
    "level",
]

text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=60))
# Path segments: anything but "/" (which would only select another route), percent-encoded.
segment = st.one_of(
    st.sampled_from(["0", "-1", "2004", "09", "13", "abc", "%00", "%E9%BD%90", "..", "%2F"]),
    st.text(alphabet=string.ascii_letters + string.digits + "-_.~%", min_size=1, max_size=30),
)
query = st.lists(st.tuples(st.one_of(st.sampled_from(KNOWN_PARAMETERS), text), text), max_size=6)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": st.sampled_from(["en", "zh-hans", "xx", "*", "zh;q=abc", ""]),
        "HTTP_USER_AGENT": text,
        "HTTP_REFERER": text,
        "HTTP_X_FORWARDED_FOR": st.sampled_from(["1.2.3.4", "not-an-ip", "1.2.3.4, , x"]),
        "HTTP_IF_MODIFIED_SINCE": st.sampled_from(["yesterday", "Thu, 01 Jan 1970 00:00:00 GMT"]),
        "HTTP_IF_NONE_MATCH": text,
        "HTTP_COOKIE": st.sampled_from(["sessionid=garbage", "csrftoken=;;;", "font_size=huge"]),
        "HTTP_ACCEPT": st.sampled_from(["*/*", "application/json", "text/html;q=x"]),
    },
)


@pytest.fixture
def site(db):
    """The seed's demo content plus an article, so real pages (not just 404s) get the input."""
    call_command("load_demo", verbosity=0)
    ArticleFactory(title="测试新闻", body="<p>正文</p>")
    urls = [
        obj.get_absolute_url()
        for model in (Article, Column, Meeting, HelpingPair, Agency, Division)
        for obj in model.objects.all()[:2]
    ]
    samples = {
        "urls": urls,
        "section": list(sitemaps),
        "int": [
            *Article.objects.values_list("pk", flat=True)[:2],
            *HelpingPair.objects.values_list("pk", flat=True)[:2],
            *Agency.objects.values_list("pk", flat=True)[:2],
        ],
        "slug": [
            *Column.objects.values_list("slug", flat=True)[:2],
            *Meeting.objects.values_list("slug", flat=True)[:1],
        ],
        "str": [*Division.objects.values_list("code", flat=True)[:2], "质量兴市"],
        "yyyy": ["2004", "2026"],
        "mm": ["09", "01"],
    }
    return {key: [str(value) for value in values] for key, values in samples.items()}


def draw_path(draw, samples):
    """A real page's URL, or a route with each ``<type:name>`` replaced by a sample value of that
    name or type, or by a hostile segment."""
    if draw(st.booleans()):
        return draw(st.sampled_from(samples["urls"]))
    route = draw(st.sampled_from(sorted(public_routes())))
    parts = []
    while "<" in route:
        head, _, rest = route.partition("<")
        spec, _, route = rest.partition(">")
        kind, _, name = spec.rpartition(":")
        choices = samples.get(name) or samples.get(kind or "str") or ["1"]
        parts += [head, draw(st.one_of(st.sampled_from(choices), segment))]
    parts.append(route)
    return "/" + "".join(parts)


def assert_clean(response, description):
    assert response.status_code < 500, description
    body = response.content.decode(errors="replace")
    assert "Traceback" not in body, description
    assert "Exception Value" not in body, description


@pytest.mark.django_db
@PROFILE
@given(data=st.data())
def test_public_urls_never_answer_500(site, data):
    """Random and hostile paths, query strings, headers and form data: always below 500."""
    path = draw_path(data.draw, site)
    params = data.draw(query, label="query")
    extra = data.draw(headers, label="headers")
    method = data.draw(st.sampled_from(["get", "get", "head", "post", "put", "delete"]))
    client = Client(raise_request_exception=False)
    if method == "post":
        response = client.post(path, dict(params), **extra)
    else:
        response = getattr(client, method)(path, params if method != "put" else None, **extra)
    assert_clean(response, f"{method.upper()} {path} {params} {extra}")


@pytest.mark.django_db
def test_every_public_route_is_covered():
    """The routes the property test draws from include the main public pages."""
    routes = set(public_routes())
    for route in ["", "news/", "meetings/", "pairs/", "agencies/", "search/"]:
        assert route in routes


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:80:80", "a b", "[::1", "x" * 300])
def test_bad_host_header_is_a_400(host):
    """A Host outside ALLOWED_HOSTS (or not a host at all) is refused with the 400 page."""
    response = Client(raise_request_exception=False).get("/news/", HTTP_HOST=host)
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
    assert_clean(response, host)


@pytest.mark.django_db
def test_oversized_form_body_is_a_400(settings):
    """A form body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is parsed."""
    body = "q=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = Client(raise_request_exception=False).post(
        reverse("admin:login"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
    assert_clean(response, "oversized")


@pytest.mark.django_db
def test_too_many_fields_is_a_400(settings):
    """More than DATA_UPLOAD_MAX_NUMBER_FIELDS fields is refused."""
    fields = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = Client(raise_request_exception=False).post(reverse("admin:login"), fields)
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data\r\n\r\n"),
        ("multipart/form-data", b"no boundary at all"),
        ("multipart/form-data; boundary=", b"--\r\n"),
        ("multipart/form-data; boundary=" + "b" * 300, b"--b\r\n"),
        ("application/x-www-form-urlencoded", b"%ff%fe=%c0%af&a=%"),
    ],
)
def test_malformed_bodies_are_refused_cleanly(content_type, body):
    """Broken multipart and undecodable form data: 400, or handled as an ordinary bad login."""
    response = Client(raise_request_exception=False).generic(
        "POST", reverse("admin:login"), body, content_type=content_type
    )
    assert response.status_code in {200, 400}
    assert_clean(response, content_type)
