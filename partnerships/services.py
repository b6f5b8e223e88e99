"""Writes that span several models: forming a pair and giving it the standard agreement."""

from django.db import transaction

from .models import ActivityKind, AgreementClause, CooperationAgreement, HelpingPair

STANDARD_AGREEMENT_TITLE = "质量兴市合作交流协议"

# The four terms of the 质量兴市合作交流协议 as the 2004 report states them:
# (text, kind of activity the yearly target counts, target minimum, target maximum).
STANDARD_CLAUSES = [
    ("在质量兴市方面进行广泛合作", "", None, None),
    ("建立质量兴市信息定期通报制度", "", None, None),
    ("在打假领域加强交流配合", "", None, None),
    (
        "争取每年能有针对性地提出一两个合作项目，以促进两地经济的互补互利",
        ActivityKind.PROJECT,
        1,
        2,
    ),
]


@transaction.atomic
def sign_standard_agreement(pair, signed_on=None):
    """Give ``pair`` the 质量兴市合作交流协议 with its four clauses, unless it has it already.

    Returns ``(agreement, created)``; an existing agreement and its clauses are left as they are.
    """
    agreement, created = CooperationAgreement.objects.get_or_create(
        pair=pair, title=STANDARD_AGREEMENT_TITLE, defaults={"signed_on": signed_on}
    )
    if created:
        AgreementClause.objects.bulk_create(
            AgreementClause(
                agreement=agreement,
                order=order,
                text=text,
                target_kind=kind,
                target_min=low,
                target_max=high,
            )
            for order, (text, kind, low, high) in enumerate(STANDARD_CLAUSES, 1)
        )
    return agreement, created


@transaction.atomic
def form_pair(helper, helped, *, meeting=None, order=0, signed_on=None):
    """Pair ``helper`` with ``helped`` and sign the standard agreement, all or nothing.

    The database refuses a pair of an agency with itself or a pair that exists in either order
    (IntegrityError), in which case nothing is written.
    """
    pair = HelpingPair.objects.create(helper=helper, helped=helped, meeting=meeting, order=order)
    sign_standard_agreement(pair, signed_on=signed_on)
    return pair
