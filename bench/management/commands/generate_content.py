"""Generate a large, realistic archive of Chinese news for load tests and the benchmark.

``python manage.py generate_content --articles 100000 --seed 1`` writes articles with titles,
summaries and bodies of several paragraphs, columns, tags, agencies (and the divisions they sit
in), publication times spread over twenty years, some drafts and some scheduled publications.

The output depends only on the seed and ``--base-time`` (a fixed date by default, not today):
article ``i`` of seed ``s`` is drawn from its own ``random.Random(f"{s}:{i}")``. Generated
articles carry ``source_url = "generated:<seed>:<i>"``, so a second run with the same seed
continues where the first stopped instead of writing duplicates.

Rows go in with ``bulk_create`` in batches (articles, then their tag and agency links), so
``Article.save()`` and signals do not run; the search index is rebuilt at the end when the
search app provides an indexer.
"""

import datetime
import importlib
import random
import sys
import time
from decimal import Decimal

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import (
    Article,
    Column,
    PublishedCount,
    PublishedMonthCount,
    PublishedTagCount,
    TaggedArticle,
)
from articles.related import refresh_in_batches as refresh_related_news
from partnerships.models import Agency, Division, HelpingPair, Meeting
from qxs import purge
from qxs.cache import bump_content_generation

SOURCE_PREFIX = "generated"
# The twenty years of the archive end here; scheduled articles fall in the two years after it.
DEFAULT_BASE_TIME = "2026-01-01"
ARCHIVE_YEARS = 20

COLUMNS = [
    ("工作动态", "work", "质监系统各单位的日常工作动态。"),
    ("会议报道", "meetings", "各类工作会议、座谈会的报道。"),
    ("质量兴市", "quality-cities", "质量兴市活动的进展与经验。"),
    ("帮扶合作", "cooperation", "帮扶对子之间的考察、交流与合作项目。"),
    ("打假维权", "anti-counterfeit", "打击假冒伪劣、维护消费者权益。"),
    ("标准计量", "standards", "标准化、计量与认证认可工作。"),
    ("通知公告", "notices", "通知、公告与公示。"),
    ("地方动态", "local", "各地质监部门的工作信息。"),
]

# (code, name, latitude, longitude): provinces by GB/T 2260 code, with the capital's position.
PROVINCES = [
    ("110000", "北京市", "39.90420", "116.40740"),
    ("120000", "天津市", "39.08510", "117.19940"),
    ("130000", "河北省", "38.04280", "114.51490"),
    ("210000", "辽宁省", "41.80570", "123.43150"),
    ("220000", "吉林省", "43.81710", "125.32350"),
    ("230000", "黑龙江省", "45.74208", "126.66166"),
    ("310000", "上海市", "31.23040", "121.47370"),
    ("320000", "江苏省", "32.06030", "118.79690"),
    ("330000", "浙江省", "30.27410", "120.15510"),
    ("350000", "福建省", "26.07450", "119.29650"),
    ("370000", "山东省", "36.65120", "117.12010"),
    ("410000", "河南省", "34.74660", "113.62540"),
    ("420000", "湖北省", "30.59280", "114.30550"),
    ("440000", "广东省", "23.12910", "113.26440"),
    ("510000", "四川省", "30.57280", "104.06680"),
]

# (code, name, latitude, longitude): prefecture-level cities, parent province from the code.
CITIES = [
    ("130100", "石家庄市", "38.04280", "114.51490"),
    ("130200", "唐山市", "39.63040", "118.18020"),
    ("210100", "沈阳市", "41.80570", "123.43150"),
    ("210200", "大连市", "38.91400", "121.61470"),
    ("210300", "鞍山市", "41.10870", "122.99460"),
    ("210600", "丹东市", "40.00050", "124.35430"),
    ("220100", "长春市", "43.81710", "125.32350"),
    ("220200", "吉林市", "43.83780", "126.54960"),
    ("220300", "四平市", "43.16640", "124.35040"),
    ("230100", "哈尔滨市", "45.80380", "126.53500"),
    ("230200", "齐齐哈尔市", "47.35431", "123.91796"),
    ("230600", "大庆市", "46.58750", "125.10300"),
    ("230800", "佳木斯市", "46.79960", "130.31870"),
    ("320100", "南京市", "32.06030", "118.79690"),
    ("320200", "无锡市", "31.49120", "120.31190"),
    ("320500", "苏州市", "31.29890", "120.58530"),
    ("330100", "杭州市", "30.27410", "120.15510"),
    ("330200", "宁波市", "29.86830", "121.54400"),
    ("331000", "台州市", "28.65610", "121.42080"),
    ("350100", "福州市", "26.07450", "119.29650"),
    ("350200", "厦门市", "24.47980", "118.08940"),
    ("370100", "济南市", "36.65120", "117.12010"),
    ("370200", "青岛市", "36.06710", "120.38260"),
    ("410100", "郑州市", "34.74660", "113.62540"),
    ("420100", "武汉市", "30.59280", "114.30550"),
    ("440100", "广州市", "23.12910", "113.26440"),
    ("440300", "深圳市", "22.54310", "114.05790"),
    ("440600", "佛山市", "23.02180", "113.12140"),
    ("510100", "成都市", "30.57280", "104.06680"),
]

TOPICS = [
    "质量兴市",
    "名牌战略",
    "食品安全",
    "特种设备安全",
    "产品质量监督抽查",
    "标准化建设",
    "计量监督",
    "认证认可",
    "打假治劣",
    "工业产品生产许可",
    "质量诚信体系建设",
    "企业质量管理",
    "农业标准化示范区建设",
    "质量强省",
    "行政执法规范化",
    "纤维制品质量监督",
    "能效标识监督",
    "重点工业产品质量攻关",
]

ACTIONS = [
    "专项整治",
    "执法检查",
    "质量提升",
    "联合打假",
    "质量月",
    "“3·15”宣传",
    "质量安全隐患排查",
    "服务企业",
]

EVENTS = [
    "工作会议",
    "座谈会",
    "推进会",
    "经验交流会",
    "现场会",
    "培训班",
    "总结表彰大会",
]

TAGS = [
    *TOPICS,
    *ACTIONS,
    "东北老工业基地",
    "帮扶对子",
    "合作交流协议",
    "信息通报",
    "考察访问",
    "质量技术监督",
    "消费者权益",
    "质量振兴",
    "地理标志产品",
    "检验检测",
    "质量奖",
    "中小企业",
    "节能减排",
    "电梯安全",
    "锅炉压力容器",
    "儿童用品",
    "农资产品",
    "建材产品",
    "计量器具",
    "强制性认证",
    "标准实施",
    "品牌培育",
]

TITLE_TEMPLATES = [
    "{agency}召开{year}年{topic}{event}",
    "{agency}开展{topic}{action}",
    "{city}{topic}工作取得新进展",
    "{province}质监系统部署{topic}工作",
    "{agency}扎实推进{topic}",
    "{city}举办{topic}{event}",
    "{agency}深入企业开展{action}活动",
    "{helper}赴{helped}考察交流{topic}工作",
    "{province}{year}年{topic}工作综述",
    "关于开展{year}年{topic}{action}的通知",
    "{city}{action}成效明显",
    "{agency}领导调研{topic}工作",
]

SUMMARY_TEMPLATES = [
    "{date}，{agency}召开{topic}{event}，总结前一阶段工作，部署下一步任务。",
    "为进一步推进{topic}工作，{agency}在全市范围内开展{action}。",
    "近日，{city}{topic}工作通过验收，各项指标均达到要求。",
    "{agency}与{other}就{topic}进行交流，双方表示将进一步加强合作。",
]

SENTENCE_TEMPLATES = [
    "{date}，{agency}在{city}召开{topic}{event}，{province}各地质监部门负责同志参加会议。",
    "会议传达了国家质检总局关于{topic}工作的部署，总结了{year}年以来的工作情况。",
    "会上，{agency}负责同志作了题为“坚持质量兴市，推动{topic}再上新台阶”的讲话。",
    "今年以来，{agency}共检查企业{n}家，出动执法人员{m}人次，查处违法案件{k}起。",
    "{city}把{topic}列入政府重点工作，成立了由分管副市长任组长的领导小组。",
    "与会代表一致认为，{topic}是推动经济发展方式转变的重要抓手。",
    "{agency}与{other}签订了合作交流协议，建立定期通报制度，每年确定一到两个合作项目。",
    "活动期间，共发放宣传资料{n}余份，接受群众咨询{m}人次。",
    "下一步，{agency}将继续加大{action}力度，确保{topic}各项任务落到实处。",
    "据统计，全市规模以上企业产品质量监督抽查合格率达到{pct}%，比上年提高{k}个百分点。",
    "会议要求，各单位要提高认识、加强领导、落实责任，切实做好{topic}工作。",
    "{helper}代表团在{helped}进行了为期两天的考察，双方就{topic}深入交换了意见。",
    "检查中发现的问题已责令企业限期整改，对{k}家企业依法立案查处。",
    "{agency}还组织开展了{action}，重点检查{product}等产品。",
]

PRODUCTS = ["电线电缆", "农资", "建材", "儿童玩具", "电梯", "燃气灶具", "食品相关产品", "化肥"]


def _public_names():
    return [name for name, _slug, _description in COLUMNS]


class ProgressBar:
    """A progress bar: one line redrawn in place on a terminal, a line per tenth otherwise."""

    width = 30

    def __init__(self, stream, total, label, *, interactive):
        self.stream, self.total, self.label = stream, total, label
        self.interactive = interactive
        self.started = time.monotonic()
        self.last_tenth = 0

    def update(self, done):
        tenth = 10 * done // self.total
        if not self.interactive and tenth == self.last_tenth and done < self.total:
            return
        self.last_tenth = tenth
        filled = self.width * done // self.total
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed else 0
        line = (
            f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{done}/{self.total} {elapsed:.0f}s {rate:.0f}/s"
        )
        if self.interactive:
            self.stream.write(f"\r{line}", ending="")
        else:
            self.stream.write(line)
        self.stream.flush()

    def finish(self):
        if self.interactive:
            self.stream.write("")


class ArticleWriter:
    """Draws article ``i`` of a seed from its own RNG, so runs are resumable and deterministic."""

    def __init__(self, seed, base_time, columns, tags, agencies, meetings, pairs):
        self.seed = seed
        self.base_time = base_time
        self.columns = columns
        self.tags = tags
        self.agencies = agencies
        self.meetings = meetings
        self.pairs = pairs
        self.archive_seconds = ARCHIVE_YEARS * 365 * 86400

    def article(self, i):
        """Return ``(Article, tag ids, agency ids, pair ids)`` for article number ``i``."""
        rng = random.Random(f"{self.seed}:{i}")
        agency, other = rng.sample(self.agencies, 2)
        pair = rng.choice(self.pairs) if self.pairs and rng.random() < 0.02 else None
        helper, helped = (pair.helper, pair.helped) if pair else (agency, other)
        status, published_at = self._status_and_time(rng)
        when = timezone.localtime(published_at or self.base_time)
        tag_ids = rng.sample(self.tags, rng.randint(1, 4))
        words = {
            "agency": agency.short_name or agency.name,
            "other": other.short_name or other.name,
            "helper": helper.short_name or helper.name,
            "helped": helped.short_name or helped.name,
            "city": self._place(agency),
            "province": self._province(agency),
            "topic": rng.choice(TOPICS),
            "action": rng.choice(ACTIONS),
            "event": rng.choice(EVENTS),
            "year": when.year,
            "date": f"{when.month}月{when.day}日",
        }
        title_template = rng.choice(TITLE_TEMPLATES[:7] + TITLE_TEMPLATES[8:])
        if pair:
            title_template = TITLE_TEMPLATES[7]
        paragraphs = []
        for _ in range(rng.randint(3, 6)):
            sentences = []
            for template in rng.sample(SENTENCE_TEMPLATES, rng.randint(2, 4)):
                sentences.append(
                    template.format(
                        **words,
                        n=rng.randint(20, 900),
                        m=rng.randint(50, 3000),
                        k=rng.randint(1, 30),
                        pct=f"{rng.uniform(85, 99):.1f}",
                        product=rng.choice(PRODUCTS),
                    )
                )
            paragraphs.append(f"<p>{''.join(sentences)}</p>")
        article = Article(
            title=title_template.format(**words)[:200],
            summary=rng.choice(SUMMARY_TEMPLATES).format(**words),
            body="\n".join(paragraphs),
            column_id=rng.choice(self.columns),
            source=rng.choice(["国家质检总局", words["agency"], "本站", "质量技术监督报"]),
            author=rng.choice(["", "", "本站记者", "通讯员 " + rng.choice(SURNAMES) + "文"]),
            responsible_editor=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
            status=status,
            published_at=published_at,
            featured=rng.random() < 0.01,
            meeting_id=(
                rng.choice(self.meetings) if self.meetings and rng.random() < 0.01 else None
            ),
            source_url=f"{SOURCE_PREFIX}:{self.seed}:{i}",
        )
        agency_ids = sorted({agency.pk, other.pk} if rng.random() < 0.3 else {agency.pk})
        return article, tag_ids, agency_ids, [pair.pk] if pair else []

    def _status_and_time(self, rng):
        roll = rng.random()
        if roll < 0.03:
            return Article.Status.DRAFT, None
        if roll < 0.04:
            return Article.Status.REVIEW, None
        day = rng.randrange(ARCHIVE_YEARS * 365)
        office_time = datetime.timedelta(hours=rng.randint(8, 17), minutes=rng.randrange(60))
        if roll < 0.05:
            # Scheduled: published status with a time in the two years after the base time.
            return Article.Status.PUBLISHED, self.base_time + datetime.timedelta(
                days=rng.randrange(365, 730)
            ) + office_time
        published_at = self.base_time - datetime.timedelta(days=day + 1) + office_time
        if roll < 0.06:
            return Article.Status.ARCHIVED, published_at
        return Article.Status.PUBLISHED, published_at

    @staticmethod
    def _place(agency):
        division = agency.division
        return division.name if division else "全国"

    @staticmethod
    def _province(agency):
        division = agency.division
        if division is None:
            return "各省"
        while division.parent is not None:
            division = division.parent
        return division.name


SURNAMES = list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁")
GIVEN_NAMES = ["建国", "海燕", "志强", "丽华", "伟", "静", "文斌", "晓东", "玉兰", "宏伟", "明"]


class Command(BaseCommand):
    help = (
        "生成大量仿真新闻稿件（标题、摘要、正文、栏目、标签、机构、二十年的发布时间、"
        "草稿和定时发布），用于性能测试。同一随机种子总是生成相同的内容。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="该随机种子下稿件的总数。")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）。")
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="每批插入的稿件数（默认 1000）。"
        )
        parser.add_argument(
            "--base-time",
            default=DEFAULT_BASE_TIME,
            help=(
                f"二十年档案的截止日期（默认 {DEFAULT_BASE_TIME}），定时发布的稿件在其后两年内。"
            ),
        )
        parser.add_argument("--no-index", action="store_true", help="生成后不重建搜索索引。")
        parser.add_argument(
            "--no-related",
            action="store_true",
            help="生成后不计算相关新闻（之后可运行 refresh_related_news）。",
        )

    def handle(self, *args, **options):
        # Thousands of articles touch most of the site: one purge of every public page at the
        # end, instead of a purge of each article's keys while the writing goes on.
        with purge.whole_site():
            self.generate(**options)

    def generate(
        self, *, articles, seed, batch_size, base_time, no_index, no_related=False, **options
    ):
        if articles < 0 or batch_size < 1:
            raise CommandError("--articles 不能为负数，--batch-size 至少为 1。")
        try:
            base_date = datetime.date.fromisoformat(base_time)
        except ValueError as exc:
            raise CommandError(f"--base-time 应为 YYYY-MM-DD 格式：{base_time}") from exc
        base = timezone.make_aware(datetime.datetime.combine(base_date, datetime.time()))

        with transaction.atomic():
            columns = self._ensure_columns()
            tags = self._ensure_tags()
            agencies = self._ensure_agencies()
        writer = ArticleWriter(
            seed,
            base,
            columns=columns,
            tags=tags,
            agencies=agencies,
            meetings=list(Meeting.objects.order_by("pk").values_list("pk", flat=True)),
            pairs=list(HelpingPair.objects.select_related("helper", "helped").order_by("pk")),
        )

        prefix = f"{SOURCE_PREFIX}:{seed}:"
        existing = Article.objects.filter(source_url__startswith=prefix).count()
        todo = max(articles - existing, 0)
        if not todo:
            self.stdout.write(f"已有 {existing} 篇种子 {seed} 的稿件，无需生成。")
            return
        self.stdout.write(f"生成 {todo} 篇稿件（种子 {seed}，从第 {existing} 篇开始）。")
        interactive = sys.stderr.isatty()
        progress = ProgressBar(
            self.stderr if interactive else self.stdout, todo, "稿件", interactive=interactive
        )
        started = time.monotonic()
        created_ids = []
        for start in range(existing, articles, batch_size):
            stop = min(start + batch_size, articles)
            created_ids.extend(self._write_batch(writer, range(start, stop)))
            progress.update(stop - existing)
        progress.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {len(created_ids)} 篇稿件，用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
        if created_ids and not no_index:
            self._index(created_ids)
        if created_ids:
            self._analyze()
        if created_ids and not no_related:
            # bulk_create sends no signals: store the related news as saves would have (after
            # ANALYZE, so PostgreSQL plans the candidates' index reads), a batch at a time.
            self.stdout.write("计算相关新闻……")
            interactive = sys.stderr.isatty()
            progress = ProgressBar(
                self.stderr if interactive else self.stdout,
                len(created_ids),
                "相关新闻",
                interactive=interactive,
            )
            refresh_related_news(created_ids, progress=lambda done, _total: progress.update(done))
            progress.finish()
        # bulk_create sends no signals: make cached pages show the new articles.
        bump_content_generation()

    @transaction.atomic
    def _write_batch(self, writer, numbers):
        rows = [writer.article(i) for i in numbers]
        created = Article.objects.bulk_create([article for article, *_ in rows])
        if created and created[0].pk is None:
            # Backends that cannot return ids from a bulk insert (old SQLite): look them up.
            by_source = dict(
                Article.objects.filter(
                    source_url__in=[article.source_url for article in created]
                ).values_list("source_url", "pk")
            )
            for article in created:
                article.pk = by_source[article.source_url]
        tagged, agency_links, pair_links = [], [], []
        AgencyLink = Article.agencies.through
        PairLink = Article.pairs.through
        for article, (_, tag_ids, agency_ids, pair_ids) in zip(created, rows, strict=True):
            tagged.extend(TaggedArticle(content_object_id=article.pk, tag_id=t) for t in tag_ids)
            agency_links.extend(AgencyLink(article_id=article.pk, agency_id=a) for a in agency_ids)
            pair_links.extend(PairLink(article_id=article.pk, helpingpair_id=p) for p in pair_ids)
        TaggedArticle.objects.bulk_create(tagged)
        AgencyLink.objects.bulk_create(agency_links)
        PairLink.objects.bulk_create(pair_links)
        return [article.pk for article in created]

    def _ensure_columns(self):
        for order, (name, slug, description) in enumerate(COLUMNS):
            if (
                not Column.objects.filter(slug=slug).exists()
                and not Column.objects.filter(name=name).exists()
            ):
                Column.objects.create(name=name, slug=slug, description=description, order=order)
        return list(
            Column.objects.filter(name__in=_public_names())
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def _ensure_tags(self):
        existing = set(Tag.objects.filter(name__in=TAGS).values_list("name", flat=True))
        Tag.objects.bulk_create(
            [
                Tag(name=name, slug=slugify(name, allow_unicode=True))
                for name in TAGS
                if name not in existing
            ],
            ignore_conflicts=True,
        )
        return list(Tag.objects.filter(name__in=TAGS).order_by("pk").values_list("pk", flat=True))

    def _ensure_agencies(self):
        """Real provinces and cities, each with a bureau and a government, beside any existing."""
        provinces = {}
        for code, name, lat, lon in PROVINCES:
            provinces[code[:2]], _ = Division.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "level": Division.Level.PROVINCE,
                    "latitude": Decimal(lat),
                    "longitude": Decimal(lon),
                },
            )
        for code, name, lat, lon in CITIES:
            city, _ = Division.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "level": Division.Level.PREFECTURE,
                    "parent": provinces[code[:2]],
                    "latitude": Decimal(lat),
                    "longitude": Decimal(lon),
                },
            )
            short = city.name.removesuffix("市")
            Agency.objects.get_or_create(
                name=f"{city.name}质量技术监督局",
                defaults={
                    "short_name": f"{short}市技监局",
                    "kind": Agency.Kind.BUREAU,
                    "division": city,
                    "aliases": f"{city.name}质监局\n{short}质监局",
                },
            )
            Agency.objects.get_or_create(
                name=f"{city.name}人民政府",
                defaults={
                    "short_name": f"{city.name}政府",
                    "kind": Agency.Kind.GOVERNMENT,
                    "division": city,
                },
            )
        return list(Agency.objects.select_related("division__parent__parent").order_by("pk"))

    def _analyze(self):
        """On PostgreSQL, refresh statistics and the visibility map after a bulk load.

        Without it the planner misjudges the new rows and counts cannot use index-only scans
        until autovacuum comes round.
        """
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return
        self.stdout.write("VACUUM ANALYZE……")
        tables = [
            Article._meta.db_table,
            TaggedArticle._meta.db_table,
            Article.agencies.through._meta.db_table,
            Article.pairs.through._meta.db_table,
        ]
        # The stored counts took one UPDATE per article generated, each leaving a dead version
        # of its row: a few hundred rows spread over hundreds of pages (407 for the 8 column
        # counts), which every news list's count then scanned (1.5 ms instead of 0.9). Rewritten
        # (VACUUM FULL: a moment for so few rows) they fill a page or three again.
        counts = [PublishedCount, PublishedTagCount, PublishedMonthCount]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
            for model in counts:
                cursor.execute(
                    f"VACUUM FULL ANALYZE {connection.ops.quote_name(model._meta.db_table)}"
                )

    def _index(self, article_ids):
        """Rebuild the search index when the search app offers a way to; say so when it does not."""
        try:
            indexing = importlib.import_module("search.indexing")
        except ImportError:
            indexing = None
        if indexing is not None and hasattr(indexing, "index_articles"):
            self.stdout.write("更新搜索索引（search.indexing.index_articles）……")
            interactive = sys.stderr.isatty()
            progress = ProgressBar(
                self.stderr if interactive else self.stdout,
                len(article_ids),
                "索引",
                interactive=interactive,
            )
            indexing.index_articles(
                Article.objects.filter(pk__gte=min(article_ids), pk__lte=max(article_ids)),
                progress=progress.update,
            )
            progress.finish()
        elif "rebuild_search_index" in get_commands():
            self.stdout.write("重建搜索索引（rebuild_search_index）……")
            call_command("rebuild_search_index", stdout=self.stdout, stderr=self.stderr)
        else:
            self.stdout.write("没有搜索索引程序（search.indexing 或 rebuild_search_index），跳过。")
