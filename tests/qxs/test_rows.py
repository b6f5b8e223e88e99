"""qxs.rows: model instances from the rows of a values_list() query, as select_related()."""

import pytest

from partnerships.models import Agency, Division, HelpingPair
from qxs.rows import Selection, model_fields
from tests.factories import HelpingPairFactory

pytestmark = pytest.mark.django_db


def test_fields_come_in_the_models_order_and_unknown_names_are_refused():
    assert model_fields(Division, "name", "id") == ("id", "name")
    with pytest.raises(ValueError, match="nmae"):
        model_fields(Division, "nmae")


def test_a_selection_rebuilds_the_instances_and_caches_the_related_ones(
    django_assert_num_queries,
):
    pair = HelpingPairFactory(helped__division=None)
    selection = Selection(
        HelpingPair,
        ("helper", Agency, "id", "name", "division_id"),
        ("helper__division", Division, "id", "name"),
        ("helped", Agency, "id", "name", "division_id"),
        ("helped__division", Division, "id", "name"),
        fields=("id", "helper_id", "helped_id", "order"),
    )
    (row,) = HelpingPair.objects.values_list(*selection.names, "pk")
    with django_assert_num_queries(0):
        built, rest = selection.instances(row)
        assert (built.pk, built.order, rest) == (pair.pk, pair.order, (pair.pk,))
        assert built.helper.name == pair.helper.name
        assert built.helper.division.name == pair.helper.division.name
        assert built.helped.division is None
