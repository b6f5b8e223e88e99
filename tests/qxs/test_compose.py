"""docker-compose.yml is valid against the Compose schema, runs a WSGI app that imports, and puts
nginx (`proxy`) and Varnish (`cache`) in front of it with the configuration files of deploy/."""

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


def _mounts(service):
    """{target: source} of a service's short-syntax volumes."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target, *_ = volume.split(":")
        mounts[target] = source
    return mounts


def test_only_the_proxy_is_published_and_web_is_reached_through_the_cache(compose):
    services = compose["services"]
    published = [name for name, service in services.items() if service.get("ports")]
    assert published == ["proxy"]
    web = services["web"]
    assert web["environment"]["QXS_VARNISH_URLS"] == "http://cache:80"
    assert web["environment"]["DJANGO_TRUSTED_PROXY_COUNT"] == "2"
    assert services["cache"]["depends_on"]["web"]
    assert services["proxy"]["depends_on"]["cache"]


def test_cache_runs_varnish_7_with_the_repository_vcl(compose):
    cache = compose["services"]["cache"]
    assert cache["image"].startswith("varnish:7")
    source = _mounts(cache)["/etc/varnish/default.vcl"]
    vcl = (ROOT / source).read_text(encoding="utf-8")
    assert vcl.startswith("vcl 4.1;")
    assert "import xkey;" in vcl
    # The backend is the web service on gunicorn's port, probed on the database health check.
    assert '.host = "web";' in vcl and '.port = "8000";' in vcl
    assert '.url = "/healthz/database";' in vcl


def test_cache_gets_the_same_varnishd_parameters_as_make_stack(compose):
    """docker-compose's Varnish runs with the parameters ``make stack`` gives varnishd (the
    image's entrypoint appends a command starting with ``-`` to its own varnishd line)."""
    from deploy.stack import VARNISH_PARAMETERS

    command = compose["services"]["cache"]["command"]
    assert command[0].startswith("-")
    assert tuple(command) == VARNISH_PARAMETERS


def test_proxy_serves_static_and_media_from_the_volumes_web_writes(compose):
    proxy, web = compose["services"]["proxy"], compose["services"]["web"]
    mounts, web_mounts = _mounts(proxy), _mounts(web)
    conf = (ROOT / mounts["/etc/nginx/conf.d/default.conf"]).read_text(encoding="utf-8")
    assert "server cache:80;" in conf
    for location, target, web_target in (
        ("/static/", "/srv/qxs/static", "/app/var/staticfiles"),
        ("/media/", "/srv/qxs/media", "/app/var/media"),
    ):
        assert re.search(rf"location {location} {{\s*alias {target}/;", conf), location
        assert mounts[target] == web_mounts[web_target], location
    assert set(compose["volumes"]) >= {"static", "media"}


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
