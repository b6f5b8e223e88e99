"""Every staleness scenario (tests/staleness.py) against the app: the change shows on the next
request although the pages were in the app's page cache, and it purges exactly its keys."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.staleness import SCENARIOS

pytestmark = pytest.mark.django_db(transaction=True)


def check(client, page):
    response = client.get(page.url)
    assert response.status_code == page.status, page
    content = response.content.decode()
    for text in page.shows:
        assert text in content, (page.url, text)
    for text in page.hides:
        assert text not in content, (page.url, text)
    return response


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
def test_a_change_shows_at_once_and_purges_exactly_its_keys(scenario, sent_after_commit):
    client = Client()
    ctx = scenario.arrange()
    for page in scenario.before(ctx):
        check(client, page)
        assert check(client, page)["X-Cache"] == "hit", page  # the stale copy is there
    with sent_after_commit() as sent:
        if scenario.change is not None:
            scenario.change(ctx)
    if scenario.change is None:
        later = timezone.now() + datetime.timedelta(seconds=scenario.wait)
        with time_machine.travel(later):
            for page in scenario.after(ctx):
                check(client, page)
    else:
        for page in scenario.after(ctx):
            check(client, page)
    assert sent == scenario.keys(ctx)
