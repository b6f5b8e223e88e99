"""The ER diagram in docs/architecture.md is the one the models give (manage.py er_diagram)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from portal import erdiagram

ARCHITECTURE = Path(settings.BASE_DIR) / "docs" / "architecture.md"


def test_committed_diagram_matches_the_models():
    committed = erdiagram.committed(ARCHITECTURE.read_text(encoding="utf-8"))
    assert committed is not None, "docs/architecture.md lost the er_diagram markers"
    assert committed == erdiagram.render(), (
        "docs/architecture.md: the ER diagram differs from the models; run "
        "`python manage.py er_diagram` and commit the file."
    )


def test_every_table_of_the_project_is_drawn():
    """Each model of our apps that owns a table is an entity of its app's diagram."""
    block = erdiagram.render()
    models = [
        model for config in erdiagram.project_app_configs() for model in erdiagram.tables(config)
    ]
    labels = {model._meta.label for model in models}
    assert {
        "articles.Article",
        "partnerships.HelpingPair",
        "topics.Topic",
        "portal.SiteIdentity",
    } <= labels
    for model in models:
        assert f"\n    {model.__name__} {{\n" in block, model._meta.label
    # Django's own tables and proxies are not drawn as entities of ours.
    assert "\n    User {\n" not in block
    assert "StaffSecondFactor" not in block


def test_foreign_keys_and_many_to_many_are_relations():
    block = erdiagram.render()
    assert '    Column ||--o{ Article : "column"' in block
    assert '    Meeting |o--o{ Article : "meeting"' in block
    assert '    Article }o--o{ Agency : "agencies"' in block
    assert '    Article ||--o| ArticleSearchDocument : "article"' in block
    assert '    Article ||--o{ HistoricalArticle : "history"' in block
    # taggit's tags go through TaggedArticle, drawn with its own two foreign keys.
    assert '    Tag ||--o{ TaggedArticle : "tag"' in block
    assert "Article }o--o{ Tag" not in block


def test_check_fails_on_a_stale_file_and_the_command_repairs_it(tmp_path):
    stale = tmp_path / "architecture.md"
    stale.write_text(
        f"# Architecture\n\n{erdiagram.BEGIN}\nold\n{erdiagram.END}\n\nAfter.\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="differs from the models"):
        call_command("er_diagram", path=str(stale), check=True)
    call_command("er_diagram", path=str(stale))
    text = stale.read_text(encoding="utf-8")
    assert text.startswith("# Architecture\n\n") and text.endswith("\n\nAfter.\n")
    call_command("er_diagram", path=str(stale), check=True)


def test_a_file_without_markers_is_an_error(tmp_path):
    plain = tmp_path / "plain.md"
    plain.write_text("# Nothing here\n", encoding="utf-8")
    with pytest.raises(CommandError, match="markers"):
        call_command("er_diagram", path=str(plain))
    assert plain.read_text(encoding="utf-8") == "# Nothing here\n"


def test_the_diagram_does_not_depend_on_hash_order():
    """simple-history registers the many-to-many history tables in set order: two processes
    with different hash seeds (which registered them in opposite orders) draw the same thing."""
    script = (
        "import django; django.setup(); from portal import erdiagram; print(erdiagram.render())"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "qxs.settings.test"}
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
