"""The apps' imports go one way (issue 14): qxs imports no app, and no two apps import each
other, directly or round a longer cycle. Imports inside functions count too."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = (
    "qxs",
    "portal",
    "accounts",
    "articles",
    "partnerships",
    "search",
    "imports",
    "topics",
    "bench",
)


def imported_apps(package):
    """The other apps that the package's modules (migrations aside) import."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts or "settings" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in APPS and top != package:
                    found.setdefault(top, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_qxs_imports_no_app():
    """Settings aside (they name the apps), the project package stands below every app."""
    assert imported_apps("qxs") == {}


def test_no_import_cycle_between_apps():
    graph = {app: imported_apps(app) for app in APPS if (ROOT / app).is_dir()}

    def cycle_from(start, app, seen):
        for other in graph.get(app, {}):
            if other == start:
                return [*seen, other]
            if other not in seen:
                found = cycle_from(start, other, [*seen, other])
                if found:
                    return found
        return None

    cycles = {app: cycle_from(app, app, [app]) for app in graph}
    assert {app: cycle for app, cycle in cycles.items() if cycle} == {}, graph


def test_articles_does_not_import_imports():
    assert "imports" not in imported_apps("articles")
