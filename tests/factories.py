"""factory_boy factories for every model the tests build."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Attachment, Column, Image
from partnerships.models import (
    Agency,
    AgreementClause,
    CooperationActivity,
    CooperationAgreement,
    Division,
    HelpingPair,
    Meeting,
    MeetingParticipant,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division

    # 9xxxxx is no province's prefix, so factory codes never collide with the demo's real ones.
    code = factory.Sequence(lambda n: f"{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"测试市{n}")
    level = Division.Level.PREFECTURE
    latitude = Decimal("40.00000")
    longitude = Decimal("120.00000")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试市{n}质量技术监督局")
    short_name = factory.Sequence(lambda n: f"测试市{n}技监局")
    kind = Agency.Kind.BUREAU
    division = factory.SubFactory(DivisionFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"质量兴市工作会议{n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    start_date = datetime.date(2004, 9, 20)
    end_date = datetime.date(2004, 9, 21)
    venue = factory.SubFactory(DivisionFactory)


class MeetingParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingParticipant

    meeting = factory.SubFactory(MeetingFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = MeetingParticipant.Role.ATTENDEE


class HelpingPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpingPair

    helper = factory.SubFactory(AgencyFactory)
    helped = factory.SubFactory(AgencyFactory)
    meeting = factory.SubFactory(MeetingFactory)


class CooperationAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationAgreement

    pair = factory.SubFactory(HelpingPairFactory)
    title = "质量兴市合作交流协议"


class AgreementClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementClause

    agreement = factory.SubFactory(CooperationAgreementFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "在质量兴市方面进行广泛合作"


class CooperationActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationActivity

    pair = factory.SubFactory(HelpingPairFactory)
    kind = CooperationActivity.Kind.VISIT
    title = factory.Sequence(lambda n: f"考察访问{n}")
    date = datetime.date(2004, 9, 22)


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Column
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"column-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article by default; pass ``status`` and ``published_at`` for others."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"质量兴市新闻{n}")
    summary = "摘要"
    body = "<p>正文</p>"
    column = factory.SubFactory(ColumnFactory)
    source = "国家质检总局"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.django.ImageField(width=800, height=500, format="PNG", filename="photo.png")
    alt_text = factory.Sequence(lambda n: f"座谈会现场照片{n}")
    caption = "会议现场"


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    article = factory.SubFactory(ArticleFactory)
    title = factory.Sequence(lambda n: f"会议材料{n}")
    file = factory.django.FileField(filename="agreement.pdf", data=b"%PDF-1.4\n" + b"0" * 2040)


class StaffUserFactory(UserFactory):
    """A staff user; ``groups=["编辑"]`` or ``["审核"]`` puts them in the editorial groups."""

    class Meta:
        skip_postgeneration_save = True

    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


def starting_word_lists():
    """The shipped 错敏字 lists, as the data migration loads them.

    For tests that need them after a transactional test has flushed the migrations' rows (the
    suite on PostgreSQL runs some of those first).
    """
    import json

    from django.conf import settings

    from articles.models import ForbiddenWord, WrongWord

    data = json.loads(
        (settings.BASE_DIR / "articles" / "data" / "wordcheck.json").read_text(encoding="utf-8")
    )
    for entry in data["wrong_words"]:
        WrongWord.objects.get_or_create(
            wrong=entry["wrong"], defaults={"correct": entry["correct"]}
        )
    for entry in data["forbidden_words"]:
        ForbiddenWord.objects.get_or_create(
            word=entry["word"], defaults={"suggestion": entry["suggestion"]}
        )


class TopicFactory(factory.django.DjangoModelFactory):
    """A public topic with a banner."""

    class Meta:
        model = "topics.Topic"

    title = factory.Sequence(lambda n: f"质量兴市专题{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    banner = factory.SubFactory(ImageFactory)
    introduction = "专题导语。"
    is_public = True


class TopicSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "topics.TopicSection"

    topic = factory.SubFactory(TopicFactory)
    title = factory.Sequence(lambda n: f"专题栏目{n}")


class TopicEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "topics.TopicEntry"

    section = factory.SubFactory(TopicSectionFactory)
    article = factory.SubFactory(ArticleFactory)
