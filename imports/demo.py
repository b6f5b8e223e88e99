"""Demo article: the seed page, imported by the page importer exactly as an editor would.

The demo article is what ``import_pages --publish`` makes of the seed: one copy of the body, the
five related items as stub articles with their dates, the agencies, the meeting and the pairs it
names. The seed has no date line; its publication date is the last day of the meeting the body
reports (2004年9月20日至21日 → 2004-09-21), as the importer derives it. A second load changes
nothing, because the importer recognises the page by its text fingerprint. The publications are
status moves recorded in the 状态变更 by the system user (``articles.services.system_user``).

The report is also the home page's 头条, which is shown with a cover picture. The seed has no
picture, so the cover is drawn here from the demo's own data: the pairs formed at the meeting,
their places set by longitude and latitude and joined by arcs, with no outline of any border
(as the site's pairing diagram). The 头条 runs until :data:`HEADLINE_UNTIL`.
"""

import datetime
import io
import math
import zoneinfo
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image as Picture
from PIL import ImageDraw

from articles import services
from articles.models import Article, Image
from partnerships.diagram import pairing_diagram
from partnerships.models import HelpingPair

from .extract import extract
from .services import Importer

SEED_PAGE = Path(__file__).resolve().parent / "seed_pages" / "000_d05c501f73f7c3bb.txt"

# The demo has no editor to choose the next 头条, so the report stays until a chief editor
# changes it. A fixed time keeps a second load identical to the first (a time counted from
# "now" would not), and a far one never bounds how long a cache keeps a page: only the
# earliest scheduled time does (``Article.objects.next_change()``).
HEADLINE_UNTIL = datetime.datetime(2099, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
COVER_SIZE = (1200, 675)
COVER_ALT = (
    "示意图：座谈会上结成的{count}个帮扶对子。{count}条弧线从沿海的帮扶单位（深红色圆点）"
    "连到东北的受帮扶单位（金色圆点），各点按经纬度排布。"
)
COVER_CAPTION = "座谈会结成的帮扶对子（示意图，按经纬度排布，不含边界）"


def load(meeting=None):
    """Import the seed page (published); returns its article.

    ``meeting`` is the seed's meeting from ``partnerships.demo.load()``; the importer finds it by
    its title in the text, and it is checked here so a renamed meeting fails loudly.
    """
    importer = Importer(publish=True)
    page = extract(SEED_PAGE.read_bytes(), SEED_PAGE.name)
    plan = importer.plan(page, SEED_PAGE.name)
    if meeting is not None and plan.meeting != meeting:
        raise ValueError(f"The seed page does not name the demo meeting {meeting.title!r}.")
    # apply() returns the written article; an unchanged page's article is on the plan.
    return importer.apply(plan) or plan.article


def make_headline(article, meeting):
    """Give the report its cover and make it the 头条, once: when it has no cover yet.

    An article with a cover is left alone, so a chief editor's later choices (another 头条, no
    头条) survive ``make run``, which loads the demo each time. Nor is the report made the 头条
    while another article is (at most one, ``services.pin_errors``). Returns the article.
    """
    article = Article.objects.get(pk=article.pk)
    if article.cover_image_id is not None:
        return article
    pairs = HelpingPair.objects.filter(meeting=meeting).with_agencies().order_by("order", "pk")
    cover = Image(alt_text=COVER_ALT.format(count=len(pairs)), caption=COVER_CAPTION)
    cover.file.save("demo-pairs-cover.png", cover_picture(pairs), save=False)
    cover.save()
    article.cover_image = cover
    errors = services.pin_errors(
        article,
        column=article.column,
        headline_until=HEADLINE_UNTIL,
        pinned_until=None,
        cover_image=cover,
    )
    if not errors:
        article.headline_until = HEADLINE_UNTIL
    article._history_user = services.system_user()
    article.save()
    return article


def cover_picture(pairs, size=COVER_SIZE):
    """A PNG of ``pairs``: places by longitude and latitude, helper joined to helped by arcs."""
    width, height = size
    picture = Picture.new("RGB", size, (250, 246, 240))
    draw = ImageDraw.Draw(picture)
    diagram = pairing_diagram(pairs)
    if diagram.nodes:
        xs = [node.x for node in diagram.nodes]
        ys = [node.y for node in diagram.nodes]
        span_x, span_y = max(xs) - min(xs) or 1, max(ys) - min(ys) or 1
        scale = min((width - 160) / span_x, (height - 120) / span_y)
        left = (width - span_x * scale) / 2 - min(xs) * scale
        top = (height - span_y * scale) / 2 - min(ys) * scale
        place = {node.code: (left + node.x * scale, top + node.y * scale) for node in diagram.nodes}
        for pair in pairs:
            start = place.get(getattr(pair.helper.division, "code", None))
            end = place.get(getattr(pair.helped.division, "code", None))
            if start and end:
                draw.line(_arc_points(start, end), fill=(163, 25, 30), width=5, joint="curve")
        for node in diagram.nodes:
            x, y = place[node.code]
            colour = (163, 25, 30) if node.role == "helper" else (214, 160, 40)
            draw.ellipse((x - 11, y - 11, x + 11, y + 11), fill=colour, outline=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name="demo-pairs-cover.png")


def _arc_points(start, end, steps=32):
    """Points along a quadratic curve from ``start`` to ``end``, bowing to its right."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0) or 1
    bow = 0.18 * length
    cx = (x0 + x1) / 2 - (y1 - y0) / length * bow
    cy = (y0 + y1) / 2 + (x1 - x0) / length * bow
    return [
        (
            (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1,
            (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1,
        )
        for t in (i / steps for i in range(steps + 1))
    ]
