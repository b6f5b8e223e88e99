"""bench/run.py: wrk's numbers become var/bench.json's fields."""

import subprocess

from bench import run


def test_wrk_summary_becomes_rps_and_milliseconds(monkeypatch):
    """The Lua script's line is turned into requests per second, p50/p99 in ms and errors."""
    line = (
        'BENCH {"requests": 25000, "duration_us": 10000000, "p50_us": 1500, "p99_us": 9000,'
        ' "errors": 2}'
    )

    def fake_run(command, **kwargs):
        assert command[0] == "wrk" and "-H" in command
        return subprocess.CompletedProcess(command, 0, stdout=f"Running 10s test\n{line}\n")

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    assert run.run_wrk("/news/", {"X-Bench-No-Cache": "1"}) == {
        "rps": 2500.0,
        "p50_ms": 1.5,
        "p99_ms": 9.0,
        "errors": 2,
    }
