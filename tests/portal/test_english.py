"""Every public page type reads in English under English (issue 16, section 6).

The pages are the HTML pages of ``tests.pages.PAGES`` (the list the query-budget tests measure),
on a site whose content is written in English: any Chinese left on a page is then interface
text nobody translated. The URLs come from ``reverse()`` under ``translation.override("en")``,
so they are the ``/en/...`` URLs once the language is in the URL; until then the language
cookie picks English as well.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation
from taggit.models import Tag

from articles.models import Article
from partnerships.models import Division
from portal.models import SiteIdentity
from tests.factories import (
    AgencyFactory,
    AgreementClauseFactory,
    ArticleFactory,
    AttachmentFactory,
    ColumnFactory,
    CooperationActivityFactory,
    CooperationAgreementFactory,
    DivisionFactory,
    HelpingPairFactory,
    ImageFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    TopicEntryFactory,
    TopicFactory,
    TopicSectionFactory,
)
from tests.pages import html_pages, page_url

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
# Han text an English page may show: the way back to Chinese and the logo's seal character.
ALLOWED_HAN = {"切换到中文", "质"}


def _agency(name, code, **division):
    division = DivisionFactory(code=code, name=f"{name} City", **division)
    return AgencyFactory(name=f"{name} Quality Bureau", short_name=f"{name} QB", division=division)


@pytest.fixture
def english_site():
    """Every page type's anchor, with content in English (the tag and search words of the page
    list stay Chinese: they are in the URLs, and a page may echo them)."""
    SiteIdentity.objects.create(site_name="QXS", sponsor="Quality Bureau", site_code="2302000001")
    heilongjiang = DivisionFactory(
        code="230000", name="Heilongjiang", level=Division.Level.PROVINCE
    )
    meeting = MeetingFactory(
        title="Symposium", slug="symposium", venue=DivisionFactory(code="230200", name="Qiqihar")
    )
    helper = _agency("Wenling", "331081", latitude=Decimal("28.40000"))
    helped = _agency("Fuyu", "230227", parent=heilongjiang)
    MeetingParticipantFactory(meeting=meeting, agency=helper, written_as="Wenling QB")
    pair = HelpingPairFactory(helper=helper, helped=helped, meeting=meeting)
    agreement = CooperationAgreementFactory(pair=pair, title="Agreement")
    AgreementClauseFactory(agreement=agreement, text="Work together")
    column = ColumnFactory(name="Work", slug="work", description="Work news.")
    for number in range(25):  # two pages of news
        ArticleFactory(
            title=f"News {number}",
            summary="A short summary.",
            body="<p>Text.</p>",
            column=column,
            source="AQSIQ",
            published_at=timezone.now() - datetime.timedelta(days=number + 2),
        )
    article = ArticleFactory(
        title="Symposium held",
        summary="A symposium.",
        body="<p>Text.</p>",
        column=column,
        source="AQSIQ",
        author="Quality Department",
        responsible_editor="Zhang",
        meeting=meeting,
        featured=True,
    )
    article.tags.add("质量兴市")
    article.agencies.add(helper)
    article.pairs.add(pair)
    AttachmentFactory(article=article, title="Agreement")
    CooperationActivityFactory(pair=pair, title="Visit", article=article)
    topic = TopicFactory(
        slug="northeast-quality",
        title="Northeast quality",
        introduction="Reports on the symposium.",
        banner=ImageFactory(alt_text="A red banner", caption="Banner"),
        meeting=meeting,
        on_home=True,
    )
    section = TopicSectionFactory(topic=topic, title="Reports", tag=article.tags.get())
    TopicEntryFactory(section=section, article=article)
    when = timezone.localtime(article.published_at)
    return {
        "article": (when.year, f"{when.month:02d}", article.pk),
        "year": (when.year,),
        "month": (when.year, f"{when.month:02d}"),
        "meeting": (meeting.slug,),
        "pair": (pair.pk,),
        "agency": (helper.pk,),
        "region": (helped.division.code,),
        "agency_id": helper.pk,
    }


def content_han():
    """Han text the content holds (tag names, divisions' names), which pages show whatever the
    language."""
    names = [
        *Division.objects.values_list("name", flat=True),
        *Tag.objects.values_list("name", flat=True),
    ]
    return {name for name in names if HAN.search(name)}


@pytest.mark.parametrize(("label", "name", "args", "query", "kind"), html_pages())
def test_every_public_page_type_reads_in_english(
    client, english_site, label, name, args, query, kind
):
    """The page is English (``<html lang="en">``, English navigation and headings) and shows no
    Chinese but what its URL asked for or the reference data holds."""
    with translation.override("en"):
        url = page_url(name, args, query, english_site)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert '<html lang="en"' in page, url
    assert 'aria-label="Main navigation"' in page or ">Home<" in page, url
    # Every public page, lists included, describes itself to search engines (issue 15).
    assert re.search(r'<meta name="description" content="[^"]+">', page), url
    asked_for = set(HAN.findall(query)) | set(
        HAN.findall(" ".join(str(arg) for arg in (english_site.get(args) or args or ())))
    )
    allowed = ALLOWED_HAN | asked_for | content_han()
    leftovers = {
        run
        for run in HAN.findall(page)
        if run not in allowed and not any(run in text for text in allowed)
    }
    assert not leftovers, (url, leftovers)


def test_the_check_finds_chinese_interface_text(client, english_site):
    """Not vacuous: the same page under Chinese is full of Chinese interface text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(page_url("articles:list", None, "", english_site)).content.decode()
    assert {"首页", "新闻"} <= set(HAN.findall(page))
    assert Article.objects.exists()
