import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Image
from imports import demo
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

SEED_TITLE = "质量兴市 振兴东北——“东北老工业基地质量兴市工作座谈会”召开"


def test_home_page_names_the_seed_meeting(client):
    call_command("load_demo", verbosity=0)
    response = client.get("/")
    assert response.status_code == 200
    assert "东北老工业基地质量兴市工作座谈会" in response.content.decode()


def headline_section(client):
    page = client.get("/").content.decode()
    if '<section class="headline"' not in page:
        return ""
    return page.split('<section class="headline"')[1].split("</section>")[0]


def test_the_demo_makes_the_bureaus_report_the_headline_with_a_drawn_cover(client):
    """A first ``make run`` shows the seed's report as the 头条, with a cover drawn from the
    demo's pairs (the seed has no picture) and its alt text; a second load changes nothing."""
    call_command("load_demo", verbosity=0)
    report = Article.objects.get(title=SEED_TITLE)
    assert report.headline_until == demo.HEADLINE_UNTIL
    cover = report.cover_image
    assert (cover.width, cover.height) == demo.COVER_SIZE
    assert cover.alt_text.startswith("示意图：座谈会上结成的8个帮扶对子。")

    section = headline_section(client)
    assert SEED_TITLE in section
    assert f'alt="{cover.alt_text}"' in section
    assert 'width="1200" height="675"' in section
    versions = report.history.count()
    call_command("load_demo", verbosity=0)
    assert Image.objects.count() == 2  # the cover and the topic's banner, once each
    assert report.history.count() == versions


def test_the_demo_leaves_a_chief_editors_choice_alone(client):
    """Loaded again (``make run`` does it each time), the demo neither brings back a 头条 a
    chief editor took off, nor takes the place of another 头条."""
    call_command("load_demo", verbosity=0)
    report = Article.objects.get(title=SEED_TITLE)
    report.headline_until = None
    report.save()
    call_command("load_demo", verbosity=0)
    assert headline_section(client) == ""
    report.refresh_from_db()
    assert report.headline_until is None


def test_the_demo_does_not_take_the_place_of_another_headline(client):
    other = ArticleFactory(
        title="另一篇头条",
        cover_image=ImageFactory(),
        headline_until=timezone.now() + datetime.timedelta(days=1),
    )
    call_command("load_demo", verbosity=0)
    report = Article.objects.get(title=SEED_TITLE)
    assert report.cover_image is not None and report.headline_until is None
    section = headline_section(client)
    assert other.title in section and SEED_TITLE not in section
