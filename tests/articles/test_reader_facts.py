"""What readers see of an article's times and of stubs (issue 15, section 8): 定时下线 in the
one publication rule, date-only publication times, and stubs kept off the home page's news."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.purges import is_public
from qxs.cache import NO_SCHEDULED, next_change_timestamp
from tests.factories import ArticleFactory
from tests.imports.test_commands import imported, run
from tests.imports.test_extract import SEED

pytestmark = pytest.mark.django_db


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


# --- 定时下线 -----------------------------------------------------------------------------------


def test_an_article_leaves_the_site_at_its_unpublish_time_with_no_write(client):
    """Before its time it is on every public page; after it, on none, and still 已发布."""
    now = timezone.now()
    article = ArticleFactory(
        title="限时公示", unpublish_at=now + datetime.timedelta(minutes=5), column__slug="work"
    )
    url = article.get_absolute_url()
    client_pages = [reverse("articles:list"), reverse("articles:column", args=["work"])]
    with time_machine.travel(now, tick=False):
        assert client.get(url).status_code == 200
        for page in client_pages:
            assert "限时公示" in client.get(page).content.decode(), page
        assert is_public(article)
    with time_machine.travel(now + datetime.timedelta(minutes=5), tick=False):
        assert client.get(url).status_code == 404
        for page in [*client_pages, reverse("articles:feed")]:
            assert "限时公示" not in client.get(page).content.decode(), page
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert not is_public(article)
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        assert article.is_expired


def test_s_maxage_ends_at_the_next_unpublication(client):
    """A page showing an article that leaves in 45 s is kept by shared caches 45 s at most."""
    now = timezone.now()
    ArticleFactory(unpublish_at=now + datetime.timedelta(seconds=45))
    ArticleFactory(published_at=now + datetime.timedelta(seconds=90))
    with time_machine.travel(now, tick=False):
        assert directives(client.get("/news/")) == {"public", "max-age=45", "s-maxage=45"}
    with time_machine.travel(now + datetime.timedelta(seconds=50), tick=False):
        # The unpublication has passed: the next change is now the publication.
        assert directives(client.get("/news/")) == {"public", "max-age=40", "s-maxage=40"}


def test_next_change_is_the_earliest_publication_or_unpublication_to_come():
    now = timezone.now()
    assert Article.objects.next_change(now) is None
    publication = now + datetime.timedelta(hours=2)
    unpublication = now + datetime.timedelta(hours=1)
    ArticleFactory(published_at=publication)
    assert Article.objects.next_change(now) == publication
    ArticleFactory(unpublish_at=unpublication)
    assert Article.objects.next_change(now) == unpublication
    # A draft's times change nothing public; past times are no longer to come.
    ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, unpublish_at=now + datetime.timedelta(1)
    )
    ArticleFactory(unpublish_at=now - datetime.timedelta(minutes=1))
    assert Article.objects.next_change(now) == unpublication
    assert next_change_timestamp(None) == pytest.approx(unpublication.timestamp())
    Article.objects.all().delete()
    assert next_change_timestamp(None) == NO_SCHEDULED


def test_the_unpublish_time_must_come_after_the_publication_time(admin_client):
    """The admin form refuses it with a message (and the database refuses it too)."""
    article = ArticleFactory(unpublish_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("tags", "agencies", "pairs", "related")
    }
    when = timezone.localtime(article.published_at) - datetime.timedelta(days=1)
    data.update(
        {
            "column": article.column_id,
            "loaded_version": article.version,
            "published_at_0": f"{timezone.localtime(article.published_at):%Y-%m-%d}",
            "published_at_1": f"{timezone.localtime(article.published_at):%H:%M:%S}",
            "unpublish_at_0": f"{when:%Y-%m-%d}",
            "unpublish_at_1": f"{when:%H:%M:%S}",
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        }
    )
    data.pop("published_at", None)
    data.pop("unpublish_at", None)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "unpublish_at": ["下线时间必须晚于发布时间。"]
    }
    article.refresh_from_db()
    assert article.unpublish_at is None


# --- Date-only publication times -----------------------------------------------------------


def test_an_import_with_no_time_of_day_stores_that_the_time_is_a_date(client):
    """The seed page gives a date and no time: the fact is stored, and the page and the lists
    show the date alone, never a made-up 00:00."""
    run("--publish", SEED)
    article = imported(SEED.name)
    assert article.published_date_only
    assert timezone.localtime(article.published_at).time() == datetime.time(0, 0)
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<time datetime="2004-09-21">2004-09-21</time>' in page
    assert "00:00" not in page
    # Its related items (title and date only) are stubs with date-only times too.
    assert all(stub.published_date_only for stub in article.related.all())


def test_midnight_set_by_an_editor_is_a_time(client):
    """00:00 alone proves nothing: an article not flagged shows its time, even midnight."""
    midnight = timezone.make_aware(datetime.datetime(2020, 5, 1, 0, 0))
    article = ArticleFactory(published_at=midnight)
    page = client.get(article.get_absolute_url()).content.decode()
    assert ">2020-05-01 00:00</time>" in page


def test_feeds_give_a_date_only_time_as_a_date(client):
    """RSS gets dc:date with the date and no pubDate (Atom no <published>) for a flagged
    article; a timed article keeps its pubDate."""
    day = timezone.make_aware(datetime.datetime(2004, 9, 21))
    ArticleFactory(title="仅有日期的稿件", published_at=day, published_date_only=True)
    ArticleFactory(title="有时刻的稿件", published_at=day + datetime.timedelta(hours=10))
    rss = client.get(reverse("articles:feed")).content.decode()
    items = rss.split("<item>")[1:]
    dated = next(item for item in items if "仅有日期的稿件" in item)
    timed = next(item for item in items if "有时刻的稿件" in item)
    assert "<dc:date>2004-09-21</dc:date>" in dated and "<pubDate>" not in dated
    assert "<pubDate>" in timed and "<dc:date>" not in timed
    atom = client.get(reverse("articles:feed-atom")).content.decode()
    entries = atom.split("<entry>")[1:]
    flagged = next(entry for entry in entries if "仅有日期" in entry)
    assert "<published>" not in flagged and "<dc:date>2004-09-21</dc:date>" in flagged


# --- Stubs ---------------------------------------------------------------------------------


def test_stubs_stay_in_the_news_list_but_leave_the_home_pages_latest_news(client):
    own = ArticleFactory(title="本局自己的报道")
    stub = ArticleFactory(title="外省旧闻标题", body="", is_stub=True)
    home = client.get(reverse("home")).content.decode()
    assert "本局自己的报道" in home
    assert "外省旧闻标题" not in home
    news = client.get(reverse("articles:list")).content.decode()
    assert "外省旧闻标题" in news
    assert "外省旧闻标题" not in client.get(reverse("articles:feed")).content.decode()
    sitemap = client.get(reverse("sitemap-section", args=["articles"])).content.decode()
    assert own.get_absolute_url() in sitemap
    assert stub.get_absolute_url() not in sitemap
