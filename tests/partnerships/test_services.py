"""Forming a pair and signing the standard agreement write all their rows or none."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from partnerships import services
from partnerships.models import ActivityKind, AgreementClause, CooperationAgreement, HelpingPair
from tests.factories import AgencyFactory, HelpingPairFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_form_pair_signs_the_standard_agreement_with_its_four_clauses():
    pair = services.form_pair(AgencyFactory(), AgencyFactory(), order=9)
    agreement = pair.agreements.get()
    assert agreement.title == "质量兴市合作交流协议"
    clauses = list(agreement.clauses.order_by("order"))
    assert [c.order for c in clauses] == [1, 2, 3, 4]
    assert (clauses[3].target_kind, clauses[3].target_min, clauses[3].target_max) == (
        ActivityKind.PROJECT,
        1,
        2,
    )


def test_form_pair_writes_nothing_when_the_pair_exists_in_reverse():
    pair = HelpingPairFactory()
    with pytest.raises(IntegrityError):
        services.form_pair(pair.helped, pair.helper)
    assert HelpingPair.objects.count() == 1
    assert not CooperationAgreement.objects.exists()


def test_signing_twice_adds_nothing():
    pair = HelpingPairFactory()
    first, created = services.sign_standard_agreement(pair)
    again, created_again = services.sign_standard_agreement(pair)
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert AgreementClause.objects.count() == 4


def test_admin_action_signs_for_selected_pairs(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    signed = HelpingPairFactory()
    services.sign_standard_agreement(signed)
    bare = HelpingPairFactory()
    response = client.post(
        reverse("admin:partnerships_helpingpair_changelist"),
        {"action": "sign_standard_agreement", "_selected_action": [signed.pk, bare.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "已为 1 个对子添加协议；1 个对子已有该协议" in response.content.decode()
    assert bare.agreements.get().clauses.count() == 4
    assert signed.agreements.count() == 1
