"""docker-compose.yml is valid against the Compose schema and runs a WSGI app that imports."""

import importlib
import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT.parent / "shared" / "compose-spec" / "compose-spec.json"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_file_matches_the_compose_spec(compose):
    if not SCHEMA.exists():
        pytest.skip(f"Compose schema not found at {SCHEMA} (the shared/ folder is absent)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    # The schema names draft-07 by an https URL jsonschema does not map; say so explicitly.
    jsonschema.Draft7Validator(schema).validate(compose)


def test_compose_has_db_redis_and_web_with_health_checks(compose):
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:16")
    assert "healthcheck" in services["db"]
    assert "redis" in services
    web = services["web"]
    assert web["build"] == "."
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert any(volume.endswith("/app/var/media") for volume in web["volumes"])
    assert "pgdata" in compose["volumes"]


def _web_command(compose):
    """The shell line the web service runs (the last item of ``sh -c ...``)."""
    command = compose["services"]["web"]["command"]
    return command if isinstance(command, str) else command[-1]


def test_web_command_migrates_then_serves_an_importable_wsgi_application(compose):
    command = _web_command(compose)
    assert "manage.py migrate" in command
    match = re.search(r"gunicorn\s+(\S+)", command)
    assert match, command
    module_name, _, attribute = match.group(1).partition(":")
    module = importlib.import_module(module_name)
    application = getattr(module, attribute)
    assert callable(application)


def test_dockerfile_runs_the_same_command_as_compose(compose):
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.startswith("FROM python:3.11-slim")
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M)
    docker_cmd = json.loads(cmd.group(1))[-1]
    assert shlex.split(docker_cmd) == shlex.split(_web_command(compose))
    assert "collectstatic" in dockerfile
