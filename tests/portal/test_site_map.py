"""The reader's 网站地图 at /sitemap/ (issue 15, section 8): linked from every page's footer, it
lists the site's sections, its columns, the meetings with their pairs, in both languages."""

import pytest
from django.urls import reverse

from portal import views
from tests.factories import ColumnFactory, HelpingPairFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_every_page_links_the_site_map_in_its_footer(client):
    footer = client.get(reverse("home")).content.decode().split('<footer class="site-footer">')[1]
    assert f'<a href="{reverse("site-map")}">网站地图</a>' in footer


def test_the_site_map_lists_sections_columns_meetings_and_their_pairs(client):
    ColumnFactory(name="工作动态", slug="work")
    ColumnFactory(name="地方经验", slug="local")
    meeting = MeetingFactory(title="东北老工业基地质量兴市工作座谈会")
    pair = HelpingPairFactory(meeting=meeting)
    alone = HelpingPairFactory(meeting=None)
    page = client.get(reverse("site-map")).content.decode()
    main = page.split('<main id="main"')[1].split("</main>")[0]
    for url in (
        reverse("articles:list"),
        reverse("articles:column", args=["work"]),
        reverse("articles:column", args=["local"]),
        reverse("partnerships:meeting-list"),
        reverse("partnerships:pair-list"),
        reverse("partnerships:agency-list"),
        meeting.get_absolute_url(),
        pair.get_absolute_url(),
        alone.get_absolute_url(),
    ):
        assert f'href="{url}"' in main, url
    assert "东北老工业基地质量兴市工作座谈会" in main
    assert "其他帮扶对子" in main
    assert '<meta name="description" content="网站地图' in page


def test_a_long_list_of_pairs_is_cut_with_a_link_to_all(client, monkeypatch):
    monkeypatch.setattr(views, "SITE_MAP_PAIRS", 2)
    meeting = MeetingFactory()
    pairs = [HelpingPairFactory(meeting=meeting, order=n) for n in range(1, 4)]
    main = client.get(reverse("site-map")).content.decode().split('<main id="main"')[1]
    assert [pair.get_absolute_url() in main for pair in pairs] == [True, True, False]
    assert "查看全部帮扶对子" in main


def test_the_site_map_reads_in_english(client):
    page = client.get("/en/sitemap/").content.decode()
    assert "<h1>Site map</h1>" in page
    assert 'href="/en/news/"' in page
