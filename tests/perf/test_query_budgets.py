"""Every public page runs few queries, and the same number whatever the number of rows.

The pages (``tests.pages.PAGES``) are measured twice within one transaction: on a small site,
then after it has grown (about four times the articles, plus more pairs, meetings, agencies,
activities, tags and links to the very objects the pages show). The cache is emptied before
every request (``count_queries``), so each measurement is a cold render. An N+1 shows up as a
count that grew; a page over its budget (``tests.pages.budget``) fails at either size.
"""

import pytest
from django.db import connection, transaction
from django.test import Client

from tests.pages import PAGES, budget, build_small, grow, page_url

# The marker also makes pytest-django set up the test database for the module fixture below.
pytestmark = pytest.mark.django_db


def _measure(client, anchors, count_queries):
    results = {}
    for label, name, args, query, _kind in PAGES:
        url = page_url(name, args, query, anchors)
        results[label] = (url, count_queries(client, url))
    return results


@pytest.fixture(scope="module")
def measurements(django_db_setup, django_db_blocker, count_queries):
    """Both measurements, taken once for the module inside a transaction that is rolled back.

    A URL name that does not exist fails here (``NoReverseMatch``): every listed page must be.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        assert (
            "test" in connection.settings_dict["NAME"]
            or "memory" in connection.settings_dict["NAME"]
        ), "refusing to write to a database that is not the test database"
        client = Client()
        anchors = build_small()
        small = _measure(client, anchors, count_queries)
        grow(anchors)
        large = _measure(client, anchors, count_queries)
        transaction.set_rollback(True)
    return small, large


@pytest.mark.parametrize(("label", "kind"), [(page[0], page[4]) for page in PAGES])
def test_page_runs_a_fixed_number_of_queries_within_its_budget(measurements, label, kind):
    """The page runs the same number of queries at both sizes, and no more than its budget."""
    small, large = measurements
    url, small_queries = small[label]
    _, large_queries = large[label]
    extra = [sql for sql in large_queries if sql not in small_queries]
    assert len(small_queries) == len(large_queries), (
        f"{url}: {len(small_queries)} queries on the small site, {len(large_queries)} on the "
        f"large one; first new statements: {extra[:3]}"
    )
    if kind != "search":
        assert len(large_queries) <= budget(kind), "\n".join([url, *large_queries])
