"""The demo topic: 东北老工业基地质量兴市, built on the seed's meeting and article.

One section holds the report of the symposium (the seed article) chosen by hand; a second the
articles the report lists as related (the stubs the importer made), newest first. The topic
names the meeting, so its page lists the eight pairs formed there. A second load changes no
row. The banner is drawn here (the seed has no picture): a plain band in the site's colours,
described in its alt text.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image as Picture
from PIL import ImageDraw

from articles.models import Image

from .models import Topic, TopicEntry, TopicSection

SLUG = "northeast-quality"
TITLE = "东北老工业基地质量兴市"
INTRODUCTION = (
    "2004年9月，国家质检总局在黑龙江省齐齐哈尔市召开东北老工业基地质量兴市工作座谈会，"
    "沿海发达地区与东北地区的质量技术监督部门和地方政府结成八个“质量兴市”帮扶对子。\n\n"
    "本专题汇集座谈会的报道、相关新闻和各帮扶对子的合作情况。"
)
BANNER_ALT = "东北老工业基地质量兴市专题横幅：红色底色上的浅色条纹"


def banner_image():
    """A 1280×400 PNG band in the site's red."""
    picture = Picture.new("RGB", (1280, 400), (163, 25, 30))
    draw = ImageDraw.Draw(picture)
    for index, x in enumerate(range(-400, 1280, 160)):
        shade = (190, 60, 55) if index % 2 else (140, 20, 26)
        draw.polygon([(x, 400), (x + 400, 0), (x + 480, 0), (x + 80, 400)], fill=shade)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="topic-northeast-quality.png")


def load(article, meeting):
    """The demo topic for the seed ``article`` and its ``meeting``; returns the topic."""
    topic = Topic.objects.filter(slug=SLUG).first()
    if topic is None:
        banner = Image(alt_text=BANNER_ALT, caption=TITLE)
        banner.file.save("topic-northeast-quality.png", banner_image(), save=False)
        banner.save()
        topic = Topic.objects.create(
            slug=SLUG,
            title=TITLE,
            banner=banner,
            introduction=INTRODUCTION,
            meeting=meeting,
            is_public=True,
            on_home=True,
        )
    report, _ = TopicSection.objects.get_or_create(
        topic=topic, order=1, defaults={"title": "座谈会报道"}
    )
    TopicEntry.objects.get_or_create(section=report, article=article, defaults={"position": 1})
    related, _ = TopicSection.objects.get_or_create(
        topic=topic, order=2, defaults={"title": "相关新闻"}
    )
    related_articles = article.related.order_by("-published_at", "pk")
    for position, other in enumerate(related_articles, start=1):
        TopicEntry.objects.get_or_create(
            section=related, article=other, defaults={"position": position}
        )
    return topic
