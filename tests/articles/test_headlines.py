"""头条 and column pins (issue 15, section 5): set by a chief editor until a date and time,
limited to one 头条 and three pins per column, and expiring by time with no cron job."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, ColumnFactory, ImageFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def main_of(page):
    return page.split('<main id="main"')[1].split("</main>")[0]


def change_data(client, article, **changes):
    """The article's change form as the admin shows it, with ``changes`` (datetimes given as
    aware values are split into the admin's date and time inputs)."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("tags", "agencies", "pairs", "related")
    }
    data.update(
        {
            "column": article.column_id,
            "loaded_version": article.version,
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        }
    )
    if article.cover_image_id:
        data["cover_image"] = article.cover_image_id
    for name in ("published_at", "unpublish_at", "headline_until", "pinned_until"):
        value = changes.pop(name, data.pop(name, None) if name in data else None)
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
        else:
            data[f"{name}_0"] = data[f"{name}_1"] = ""
    data.update(changes)
    return url, data


@pytest.fixture
def chief(client):
    user = StaffUserFactory(groups=["审核"])
    client.force_login(user)
    return user


# --- What readers see ----------------------------------------------------------------------


def test_the_headline_leads_the_home_page_with_its_cover_until_its_time(client):
    now = timezone.now()
    cover = ImageFactory(alt_text="座谈会会场全景")
    ArticleFactory(title="普通新闻")
    headline = ArticleFactory(
        title="东北老工业基地质量兴市工作座谈会召开", cover_image=cover, headline_until=now + HOUR
    )
    with time_machine.travel(now, tick=False):
        response = client.get(reverse("home"))
        main = main_of(response.content.decode())
        section = main.split('<section class="headline"')[1].split("</section>")[0]
        assert "东北老工业基地质量兴市工作座谈会召开" in section
        assert 'alt="座谈会会场全景"' in section
        # It leads the page, and is not repeated in the lists below.
        assert main.index('class="headline"') < main.index("最新新闻")
        assert main.count(headline.get_absolute_url()) == 1
        assert "s-maxage=600" in directives(response)
    with time_machine.travel(now + HOUR - datetime.timedelta(seconds=30), tick=False):
        # Shared caches drop the page when the headline expires (no purge, no cron job).
        assert "s-maxage=30" in directives(client.get(reverse("home")))
    with time_machine.travel(now + HOUR, tick=False):
        main = main_of(client.get(reverse("home")).content.decode())
        assert 'class="headline"' not in main
        # Back among the news like any other article.
        assert headline.get_absolute_url() in main
    headline.refresh_from_db()
    assert headline.headline_until == now + HOUR  # nothing was written


def test_pinned_articles_lead_their_column_and_leave_the_dated_list_until_their_time(client):
    now = timezone.now()
    column = ColumnFactory(slug="work")
    old = ArticleFactory(title="置顶的旧通知", column=column, published_at=now - 30 * 24 * HOUR)
    old.pinned_until = now + 2 * HOUR
    old.save()
    for number in range(3):
        ArticleFactory(title=f"新近动态{number}", column=column, published_at=now - number * HOUR)
    url = reverse("articles:column", args=["work"])
    with time_machine.travel(now, tick=False):
        response = client.get(url)
        main = main_of(response.content.decode())
        assert main.count("置顶的旧通知") == 1
        assert main.index("置顶的旧通知") < main.index("新近动态0")
        assert '<span class="badge badge-pinned">置顶</span>' in main
        assert "共 3 条" in main
        assert "s-maxage=600" in directives(response)
    with time_machine.travel(now + 2 * HOUR, tick=False):
        main = main_of(client.get(url).content.decode())
        assert "badge-pinned" not in main
        assert main.index("新近动态2") < main.index("置顶的旧通知")
        assert "共 4 条" in main


def test_a_pin_expiring_soon_bounds_s_maxage(client):
    now = timezone.now()
    ArticleFactory(column=ColumnFactory(slug="work"), pinned_until=now + datetime.timedelta(0, 75))
    with time_machine.travel(now, tick=False):
        assert directives(client.get("/news/column/work/")) == {
            "public",
            "max-age=60",
            "s-maxage=75",
        }
    assert Article.objects.next_change(now) == now + datetime.timedelta(seconds=75)


def test_the_home_page_shows_one_headline_even_if_two_were_stored(client):
    """The admin allows one; the page never shows two (the newer wins)."""
    now = timezone.now()
    ArticleFactory(
        title="较早头条",
        cover_image=ImageFactory(),
        headline_until=now + HOUR,
        published_at=now - 2 * HOUR,
    )
    ArticleFactory(title="较新头条", cover_image=ImageFactory(), headline_until=now + HOUR)
    main = main_of(client.get(reverse("home")).content.decode())
    section = main.split('<section class="headline"')[1].split("</section>")[0]
    assert "较新头条" in section and "较早头条" not in section


# --- The admin -----------------------------------------------------------------------------


def test_a_chief_editor_sets_a_headline_until_a_time(client, chief):
    article = ArticleFactory(cover_image=ImageFactory())
    until = timezone.now().replace(microsecond=0) + 24 * HOUR
    url, data = change_data(client, article, headline_until=until)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.headline_until == until


def test_saving_the_form_as_shown_keeps_every_time_to_the_second(client, chief):
    """The time inputs show seconds, so a save that changes something else (a typo in the
    title) sends back the times as they are: it neither moves the publication time nor
    shortens a 头条 to the minute, which in its last minute was refused as already past."""
    now = timezone.now().replace(microsecond=0)
    published = now - datetime.timedelta(minutes=5, seconds=17)
    until = now + datetime.timedelta(seconds=40)
    article = ArticleFactory(
        cover_image=ImageFactory(), published_at=published, headline_until=until
    )
    url, data = change_data(client, article, title="改正了错字的标题")
    page = client.get(url).content.decode()
    for name in ("published_at_1", "headline_until_1"):
        [shown] = re.findall(rf'name="{name}" value="([^"]*)"', page)
        data[name] = shown
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "改正了错字的标题"
    assert (article.published_at, article.headline_until) == (published, until)


def test_a_second_headline_is_refused_with_a_message(client, chief):
    now = timezone.now()
    ArticleFactory(title="现任头条", cover_image=ImageFactory(), headline_until=now + HOUR)
    article = ArticleFactory(cover_image=ImageFactory())
    url, data = change_data(client, article, headline_until=now + 2 * HOUR)
    response = client.post(url, data)
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["headline_until"]
    assert "首页已有头条《现任头条》" in message and "同一时间只能有一篇头条" in message
    article.refresh_from_db()
    assert article.headline_until is None


def test_an_expired_headline_leaves_the_slot_free(client, chief):
    now = timezone.now()
    ArticleFactory(cover_image=ImageFactory(), headline_until=now - HOUR)
    article = ArticleFactory(cover_image=ImageFactory())
    url, data = change_data(client, article, headline_until=now + HOUR)
    assert client.post(url, data).status_code == 302


def test_a_headline_needs_a_cover_and_a_time_to_come(client, chief):
    now = timezone.now()
    article = ArticleFactory(cover_image=None)
    url, data = change_data(client, article, headline_until=now + HOUR)
    errors = client.post(url, data).context["adminform"].form.errors
    assert errors["headline_until"] == ["头条在首页带封面图展示，请先选择封面图片。"]
    article.cover_image = ImageFactory()
    article.save()
    url, data = change_data(client, article, headline_until=now - HOUR)
    errors = client.post(url, data).context["adminform"].form.errors
    assert errors["headline_until"] == ["头条截止时间必须是将来的时间。"]


def test_a_fourth_pin_in_a_column_is_refused_with_a_message(client, chief):
    now = timezone.now()
    column = ColumnFactory(name="工作动态", slug="work")
    for number in range(3):
        ArticleFactory(title=f"置顶{number}", column=column, pinned_until=now + HOUR)
    # Another column's pins do not count.
    ArticleFactory(column=ColumnFactory(slug="local"), pinned_until=now + HOUR)
    article = ArticleFactory(column=column)
    url, data = change_data(client, article, pinned_until=now + HOUR)
    response = client.post(url, data)
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["pinned_until"]
    assert "栏目“工作动态”已有 3 篇置顶稿件" in message and "最多 3 篇" in message
    # In another column it may be pinned.
    url, data = change_data(client, article, pinned_until=now + HOUR, column=column.pk + 1)
    data["column"] = Article.objects.exclude(column=column).first().column_id
    assert client.post(url, data).status_code == 302


def test_an_editor_cannot_set_pins(client):
    """For 编辑 the fields are read-only: a posted value is ignored."""
    editor = StaffUserFactory(groups=["编辑"])
    client.force_login(editor)
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    assert "headline_until" not in form.fields and "pinned_until" not in form.fields


def test_the_article_list_filters_the_current_headline_and_pins(client, chief):
    now = timezone.now()
    ArticleFactory(title="当前头条稿", cover_image=ImageFactory(), headline_until=now + HOUR)
    ArticleFactory(title="过期头条稿", cover_image=ImageFactory(), headline_until=now - HOUR)
    ArticleFactory(title="置顶稿", pinned_until=now + HOUR)
    url = reverse("admin:articles_article_changelist")
    headline = client.get(url, {"pinned": "headline"}).content.decode()
    assert "当前头条稿" in headline and "过期头条稿" not in headline and "置顶稿" not in headline
    pinned = client.get(url, {"pinned": "column"}).content.decode()
    assert "置顶稿" in pinned and "当前头条稿" not in pinned
