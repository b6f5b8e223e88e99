"""Browser tests: Playwright drives Debian's Chromium against the app on a live server.

Run them with ``make e2e`` (it installs the ``e2e`` extra and, when missing, Chromium with
apt-get). They are marked ``e2e`` and left out of ``make test``. No browser is ever downloaded:
the tests launch ``/usr/bin/chromium`` (``QXS_CHROMIUM`` names another).

The app is pytest-django's ``live_server`` (a threaded server on a free loopback port). On SQLite
its test database is a file, not the shared in-memory connection, so the browser's parallel
requests each get their own connection as in production.
"""

import io
import os
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent

try:
    import playwright  # noqa: F401
except ImportError:  # `make test` without the e2e extra: nothing here to collect.
    collect_ignore_glob = ["test_*.py"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e is an ``e2e`` test, deselected unless ``-m e2e`` is given.

    Each one uses the database as the live server does (committed transactions), and starts
    from the rows the migrations made (editorial groups, search synonyms...): the database is
    flushed after each test and those rows are restored before the next (serialized rollback).
    """
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file that every server thread opens for itself."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("e2e-db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    from .support import launch_chromium

    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
    # thread with a running loop unless told they are safe (they are: nothing here is async).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with launch_chromium() as chromium:
            yield chromium
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _e2e_settings(settings, tmp_path):
    """Login lockout on, as in production; a content-generation file of this test's own."""
    settings.AXES_ENABLED = True
    settings.QXS_CONTENT_GENERATION_FILE = tmp_path / "content-generation"


@pytest.fixture
def open_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies): ``open_page(width=375)``.

    Pages record console errors and failed requests in ``page.problems``; contexts are closed
    at the end of the test.
    """
    from .support import new_page

    contexts = []

    def _open(**options):
        page = new_page(browser, live_server.url, **options)
        contexts.append(page.context)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def editor(db):
    from tests.factories import StaffUserFactory

    from .support import PASSWORD

    return StaffUserFactory(username="bianji", password=PASSWORD, groups=["编辑"])


@pytest.fixture
def chief_editor(db):
    from tests.factories import StaffUserFactory

    from .support import PASSWORD

    return StaffUserFactory(username="shenhe", password=PASSWORD, groups=["审核"])


@pytest.fixture
def demo(db):
    """The demo content (``load_demo``): the seed's meeting, agencies, pairs and article."""
    from django.core.management import call_command

    from articles.models import Article
    from partnerships.models import Meeting

    call_command("load_demo", stdout=io.StringIO())
    meeting = Meeting.objects.get()
    article = Article.objects.published().filter(is_stub=False, meeting=meeting).get()
    return {"meeting": meeting, "article": article}
