"""The OWASP XSS filter-evasion payloads never become executable markup on a reader's page, whether
an editor types them (the body sanitizer, template escaping) or a page carrying them is imported.

tests/security/data/xss_payloads.json holds the payloads (from the OWASP cheat sheet, with the
attacker's host written as xss.example).
"""

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from lxml import html as lxml_html

from articles.models import Article
from tests.factories import ArticleFactory

PAYLOADS = json.loads((Path(__file__).parent / "data" / "xss_payloads.json").read_text())

FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "svg",
    "math",
    "template",
    "style",
    "xml",
    "isindex",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "background",
    "dynsrc",
    "lowsrc",
    "poster",
    "srcdoc",
    "xlink:href",
    "{http://www.w3.org/1999/xlink}href",
}
DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript):")
CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f]+")


def assert_inert(page, payload):
    """No script of ours excepted, no event handler, no script URL, no plugin or frame, no inline
    style: nothing on the page can run code."""
    doc = lxml_html.document_fromstring(page)
    for script in doc.iter("script"):
        assert script.get("src", "").startswith("/static/"), payload
        assert not (script.text or "").strip(), payload
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        assert tag not in FORBIDDEN_ELEMENTS, (tag, payload)
        if tag == "meta":
            assert (element.get("http-equiv") or "").lower() != "refresh", payload
        for name, value in element.attrib.items():
            name = name.lower()
            assert not name.startswith("on"), (tag, name, payload)
            assert name != "style", (tag, payload)
            if name in URL_ATTRIBUTES:
                url = CONTROL_AND_SPACE.sub("", value).lower()
                assert not DANGEROUS_SCHEME.match(url), (tag, name, value, payload)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_typed_by_an_editor_is_inert(payload):
    """In the body (sanitized on save) and in every plain field (escaped by the templates)."""
    # Django's form fields refuse NUL characters (and PostgreSQL cannot store them), so the plain
    # fields get the payload without them; the body gets it whole.
    plain = payload.replace("\x00", "")
    article = ArticleFactory(
        title=plain[:200],
        summary=plain,
        body=f"<p>正文开始。</p>{payload}<p>正文结束。</p>",
        source=plain[:100],
        author=plain[:100],
        responsible_editor=plain[:50],
    )
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    # The text before the payload is there (a payload such as an unclosed <script> may swallow
    # what follows it, which is harmless).
    assert "正文开始" in response.content.decode()
    assert_inert(response.content.decode(), payload)


def imported_article(payload):
    from imports.extract import extract
    from imports.services import Importer

    page = (
        "<html><head><meta charset='utf-8'><title>质量兴市工作会议召开</title></head><body>"
        "<h1>质量兴市工作会议召开</h1>"
        "<div class='content'><p>发布时间：2004-09-21 来源：国家质检总局</p>"
        "<p>东北老工业基地质量兴市工作座谈会在黑龙江省齐齐哈尔市召开。会议由国家质检总局组织。</p>"
        f"{payload}"
        "<p>与会代表就质量兴市工作交流了经验，结成了帮扶对子。正文结束。</p></div>"
        "</body></html>"
    )
    importer = Importer(publish=True)
    return importer.apply(importer.plan(extract(page.encode(), "page.html"), "page.html"))


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_in_an_imported_page_is_inert(payload):
    """A scraped page carrying the payload is imported and published; its page stays inert. (A
    page the importer refuses outright, such as one with a NUL byte, publishes nothing.)"""
    from imports.extract import ExtractionError

    try:
        article = imported_article(payload)
    except ExtractionError:
        assert not Article.objects.exists()
        return
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    assert "在黑龙江省齐齐哈尔市召开" in response.content.decode()
    assert_inert(response.content.decode(), payload)


def test_the_check_itself_catches_executable_markup():
    """The assertion is not vacuous: each kind of executable markup fails it."""
    for page in [
        "<p><script>alert(1)</script></p>",
        "<p><img src=x onerror=alert(1)></p>",
        "<p><a href=' jav&#x09;ascript:alert(1)'>x</a></p>",
        "<p><iframe src='/x'></iframe></p>",
        "<p><svg></svg></p>",
        "<p style='x'>x</p>",
        "<p><a href='data:text/html,x'>x</a></p>",
    ]:
        with pytest.raises(AssertionError):
            assert_inert(page, page)
