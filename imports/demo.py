"""Demo article: the seed page, imported by the page importer exactly as an editor would.

The demo article is what ``import_pages --publish`` makes of the seed: one copy of the body, the
five related items as stub articles with their dates, the agencies, the meeting and the pairs it
names. The seed has no date line; its publication date is the last day of the meeting the body
reports (2004年9月20日至21日 → 2004-09-21), as the importer derives it. A second load changes
nothing, because the importer recognises the page by its text fingerprint. The publications are
status moves recorded in the 状态变更 by the system user (``articles.services.system_user``).
"""

from pathlib import Path

from .extract import extract
from .services import Importer

SEED_PAGE = Path(__file__).resolve().parent / "seed_pages" / "000_d05c501f73f7c3bb.txt"


def load(meeting=None):
    """Import the seed page (published); returns its article.

    ``meeting`` is the seed's meeting from ``partnerships.demo.load()``; the importer finds it by
    its title in the text, and it is checked here so a renamed meeting fails loudly.
    """
    importer = Importer(publish=True)
    page = extract(SEED_PAGE.read_bytes(), SEED_PAGE.name)
    plan = importer.plan(page, SEED_PAGE.name)
    if meeting is not None and plan.meeting != meeting:
        raise ValueError(f"The seed page does not name the demo meeting {meeting.title!r}.")
    # apply() returns the written article; an unchanged page's article is on the plan.
    return importer.apply(plan) or plan.article
