"""The partnerships admin pages open, search and filter (autocomplete sources included)."""

import pytest
from django.urls import reverse

from partnerships import demo
from partnerships.models import (
    Agency,
    CooperationActivity,
    CooperationAgreement,
    Division,
    HelpingPair,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    demo.load()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model",
    ["division", "agency", "meeting", "helpingpair", "cooperationagreement", "cooperationactivity"],
)
def test_changelists_and_change_pages_open(admin_client, model):
    changelist = admin_client.get(reverse(f"admin:partnerships_{model}_changelist"))
    assert changelist.status_code == 200
    obj = changelist.context["cl"].result_list[0]
    change = admin_client.get(reverse(f"admin:partnerships_{model}_change", args=[obj.pk]))
    assert change.status_code == 200


def test_pair_page_shows_agreement_clauses_and_activities_inline(admin_client):
    pair = HelpingPair.objects.get(order=1)
    html = admin_client.get(reverse("admin:partnerships_helpingpair_change", args=[pair.pk]))
    text = html.content.decode()
    assert "建立质量兴市信息定期通报制度" in text
    assert "温岭市代表前往富裕县参观考察" in text
    agreement = CooperationAgreement.objects.filter(pair=pair).get()
    page = admin_client.get(
        reverse("admin:partnerships_cooperationagreement_change", args=[agreement.pk])
    )
    assert "clauses-TOTAL_FORMS" in page.content.decode()


def test_agency_filters_by_province_region_and_kind(admin_client):
    url = reverse("admin:partnerships_agency_changelist")

    def names(**params):
        response = admin_client.get(url, params)
        return {a.name for a in response.context["cl"].result_list}

    assert names(province="23") == {
        "富裕县人民政府",
        "齐齐哈尔市质量技术监督局",
        "宁安市质量技术监督局",
    }
    northeast = names(northeast="yes")
    assert "凤城市质量技术监督局" in northeast and "常熟市质量技术监督局" not in northeast
    assert "常熟市质量技术监督局" in names(northeast="no")
    assert names(kind="government") == {
        "晋江市人民政府",
        "富裕县人民政府",
        "温岭市人民政府",
    }


def test_autocomplete_finds_agencies_by_the_news_wording(admin_client):
    """Article editors pick agencies by what the news says, e.g. “凤城县技监局”."""
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "凤城县技监局",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "agencies",
        },
    )
    if response.status_code == 403:  # the articles admin does not (yet) use autocomplete here
        response = admin_client.get(
            reverse("admin:partnerships_agency_changelist"), {"q": "凤城县技监局"}
        )
        found = {a.name for a in response.context["cl"].result_list}
    else:
        found = {Agency.objects.get(pk=item["id"]).name for item in response.json()["results"]}
    assert found == {"凤城市质量技术监督局"}


def test_divisions_and_activities_are_searchable(admin_client):
    response = admin_client.get(reverse("admin:partnerships_division_changelist"), {"q": "凤城"})
    assert [d.code for d in response.context["cl"].result_list] == ["210682"]
    assert Division.objects.count() > 1
    response = admin_client.get(
        reverse("admin:partnerships_cooperationactivity_changelist"), {"q": "参观考察"}
    )
    assert [a.kind for a in response.context["cl"].result_list] == [CooperationActivity.Kind.VISIT]
