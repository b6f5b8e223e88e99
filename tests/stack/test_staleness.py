"""The staleness scenarios of ``tests/staleness.py`` (shared with the tests against the app)
through the real stack: each change shows on every page within a second, through Varnish."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.stack

RUNNER = Path(__file__).with_name("staleness_runner.py")


def test_every_staleness_scenario_shows_at_once_through_the_stack(stack):
    result = subprocess.run(
        [sys.executable, str(RUNNER), stack.url],
        cwd=RUNNER.parents[2],
        env=stack.stack.process_environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    results = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(results) >= 10, results  # every scenario ran (publish ... bulk update)
    failed = {name: problems for name, problems in results.items() if problems}
    assert not failed, json.dumps(failed, ensure_ascii=False, indent=2)
