"""专题 (issue 15, section 6): the topic pages, the list, the home page's current topics, the
feed and the sitemap, and the demo topic of the seed's meeting."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from qxs import surrogate
from tests.factories import (
    ArticleFactory,
    TopicEntryFactory,
    TopicFactory,
    TopicSectionFactory,
)
from topics.models import Topic

pytestmark = pytest.mark.django_db


def main_of(page):
    return page.split('<main id="main"')[1].split("</main>")[0]


def test_the_demo_topic_gathers_the_report_the_eight_pairs_and_the_related_items(client):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # a second load adds nothing
    topic = Topic.objects.get()
    assert topic.title == "东北老工业基地质量兴市"
    assert topic.banner.alt_text and topic.banner.width == 1280
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    main = main_of(response.content.decode())
    report = Article.objects.get(title__startswith="质量兴市 振兴东北")
    assert report.get_absolute_url() in main
    for stub in report.related.all():
        assert stub.get_absolute_url() in main
    assert main.count("/pairs/") == 8
    assert f'alt="{topic.banner.alt_text}"' in main
    # Current: on the home page, and in the list, the sitemap and the site map.
    assert topic.get_absolute_url() in client.get(reverse("home")).content.decode()
    assert topic.get_absolute_url() in client.get(reverse("topics:list")).content.decode()
    assert topic.get_absolute_url() in client.get(reverse("site-map")).content.decode()
    sitemap = client.get(reverse("sitemap-section", args=["pages"])).content.decode()
    assert f"{topic.get_absolute_url()}</loc>" in sitemap


def test_sections_show_chosen_articles_in_order_then_the_newest_with_the_tag(client):
    now = timezone.now()
    topic = TopicFactory()
    section = TopicSectionFactory(topic=topic, tag_limit=2)
    first = ArticleFactory(title="手选甲", published_at=now - datetime.timedelta(days=9))
    second = ArticleFactory(title="手选乙", published_at=now - datetime.timedelta(days=1))
    TopicEntryFactory(section=section, article=second, position=2)
    TopicEntryFactory(section=section, article=first, position=1)
    draft = ArticleFactory(title="草稿不显示", status=Article.Status.DRAFT, published_at=None)
    TopicEntryFactory(section=section, article=draft, position=3)
    tagged = []
    for day in range(3):
        article = ArticleFactory(title=f"标签稿{day}", published_at=now - datetime.timedelta(day))
        article.tags.add("质量兴市")
        tagged.append(article)
    second.tags.add("质量兴市")  # chosen by hand already: not listed twice
    section.tag = tagged[0].tags.get()
    section.save()
    main = main_of(client.get(topic.get_absolute_url()).content.decode())
    titles = [
        title for title in ("手选甲", "手选乙", "标签稿0", "标签稿1", "标签稿2") if title in main
    ]
    assert titles == ["手选甲", "手选乙", "标签稿0", "标签稿1"]
    assert main.index("手选甲") < main.index("手选乙") < main.index("标签稿0")
    assert main.count("手选乙") == 1
    assert "草稿不显示" not in main


def test_a_topic_page_names_what_it_shows_and_what_would_change_it(client):
    topic = TopicFactory()
    section = TopicSectionFactory(topic=topic)
    shown = ArticleFactory()
    waiting = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    TopicEntryFactory(section=section, article=shown)
    TopicEntryFactory(section=section, article=waiting)
    response = client.get(topic.get_absolute_url())
    keys = set(surrogate.keys_of(response.wsgi_request))
    # A draft chosen for the topic names the page too: publishing it purges the page.
    assert {surrogate.topic(topic.pk), surrogate.article(shown.pk)} <= keys
    assert surrogate.article(waiting.pk) in keys


def test_a_topic_not_public_is_a_404_everywhere(client):
    topic = TopicFactory(is_public=False, on_home=True)
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert client.get(reverse("topics:feed", args=[topic.slug])).status_code == 404
    assert topic.get_absolute_url() not in client.get(reverse("home")).content.decode()
    assert topic.get_absolute_url() not in client.get(reverse("topics:list")).content.decode()
    assert client.get("/topics/nope/").status_code == 404


def test_the_topic_feed_lists_its_public_articles_without_stubs(client):
    topic = TopicFactory()
    section = TopicSectionFactory(topic=topic)
    TopicEntryFactory(section=section, article=ArticleFactory(title="专题报道"))
    TopicEntryFactory(section=section, article=ArticleFactory(title="仅有标题稿", is_stub=True))
    ArticleFactory(title="无关新闻")
    feed = client.get(reverse("topics:feed", args=[topic.slug])).content.decode()
    assert "专题报道" in feed
    assert "仅有标题稿" not in feed and "无关新闻" not in feed


def test_the_topic_pages_read_in_english(client):
    topic = TopicFactory(title="Northeast quality", introduction="About the symposium.")
    page = client.get(f"/en/topics/{topic.slug}/").content.decode()
    assert '<html lang="en"' in page and 'href="/en/topics/">Topics</a>' in page
