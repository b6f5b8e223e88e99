"""Chinese by default, an English translation shipped (compiled) and switchable without JS."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from qxs.models import SiteIdentity
from tests.factories import ArticleFactory, AttachmentFactory, ColumnFactory, MeetingFactory

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
# Han text allowed on an English page: the way back to Chinese and the logo's seal character.
ALLOWED_HAN = {"切换到中文", "质"}


@pytest.fixture
def english_content():
    """Content written in English, so any Chinese left on the page is untranslated UI."""
    SiteIdentity.objects.create(site_name="QXS", sponsor="Quality Bureau", site_code="2302000001")
    column = ColumnFactory(name="Work", slug="work")
    article = ArticleFactory(
        title="Symposium held",
        summary="A symposium.",
        body="<p>Text.</p>",
        column=column,
        source="AQSIQ",
        author="Quality Department",
        responsible_editor="Zhang",
        meeting=MeetingFactory(title="Symposium", venue__name="Qiqihar"),
    )
    article.tags.add("quality")
    AttachmentFactory(article=article, title="Agreement")
    ArticleFactory(title="Another", summary="Another one.", column=column, source="AQSIQ")
    return article


def switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/news/"})
    assert response.status_code == 302
    assert response["Location"] == "/news/"


def test_chinese_is_the_default(client):
    page = client.get("/news/").content.decode()
    assert '<html lang="zh-hans"' in page
    assert "跳到正文" in page
    assert 'name="language" value="en"' in page


def test_language_switch_is_a_plain_form_posting_to_set_language(client):
    page = client.get("/news/?column=work").content.decode()
    form = re.search(
        r'<form class="lang-switch" action="([^"]+)" method="post">(.*?)</form>', page, re.S
    )
    assert form.group(1) == "/i18n/setlang/"
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert 'name="next" value="/news/?column=work"' in form.group(2)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/news/",
        "/news/?date_from=bad",
        "/news/column/work/",
        "/news/tag/quality/",
        "/news/2004/",
        "ARTICLE",
        "/no-such-page/",
    ],
)
def test_english_pages_have_no_untranslated_interface_text(client, english_content, path):
    """After switching, the interface of every page type is English."""
    switch_to_english(client)
    if path == "ARTICLE":
        path = english_content.get_absolute_url()
    if path == "/news/2004/":
        path = f"/news/{english_content.published_at:%Y}/"
    response = client.get(path)
    page = response.content.decode()
    assert '<html lang="en"' in page
    leftovers = set(HAN.findall(page)) - ALLOWED_HAN
    assert not leftovers, leftovers


def test_english_article_page_reads_in_english(client, english_content):
    switch_to_english(client)
    page = client.get(english_content.get_absolute_url()).content.decode()
    assert "Published: " in page and "Source: AQSIQ" in page
    assert "Source" in page and "AQSIQ" in page
    assert "Text size" in page and "Print" in page
    assert " (PDF, " in page


def test_compiled_messages_are_committed_and_current():
    """The .mo ships with the code (make run needs no gettext tools) and matches the .po."""
    locale = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
    mo, po = locale / "django.mo", locale / "django.po"
    assert mo.exists() and po.exists()
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("跳到正文") == "Skip to main content"
    assert catalog.pgettext("navigation", "帮扶对子") == "Helping pairs"
    assert catalog.ngettext("共 %(counter)s 条", "共 %(counter)s 条", 2) == "%(counter)s items"
    blocks = [block for block in po.read_text().split("\n\n") if "msgctxt" not in block]
    translated = [
        match.groups()
        for block in blocks
        if (match := re.search(r'^msgid "(.+)"\nmsgstr "(.+)"$', block, re.M))
    ]
    assert len(translated) > 100
    for msgid, msgstr in translated:
        if "\\" not in msgid:
            assert catalog.gettext(msgid) == msgstr, msgid
