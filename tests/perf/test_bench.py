"""bench/run.py: wrk's numbers become var/bench.json's fields."""

import json
import subprocess

from bench import run


def wrk_process(command, requests=1, p99_us=1):
    """What ``subprocess.run`` gives back for wrk printing report.lua's line: ``requests`` in one
    second."""
    numbers = {"requests": requests, "duration_us": 1_000_000, "p50_us": 1, "p99_us": p99_us}
    line = "BENCH " + json.dumps({**numbers, "errors": 0})
    return subprocess.CompletedProcess(command, 0, stdout=line + "\n")


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


def test_long_tail_round_hands_the_url_list_to_the_lua_script(monkeypatch, tmp_path):
    """article_long_tail_cold: wrk gets the list's path in BENCH_URL_LIST, which report.lua reads
    to pick a random path per request."""
    urls = tmp_path / "urls.txt"
    urls.write_text("/news/2020/01/1/\n/news/2020/01/2/\n")
    seen = {}

    def fake_run(command, **kwargs):
        seen["env"] = kwargs.get("env") or {}
        return wrk_process(command, requests=10, p99_us=2)

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    assert run.run_wrk("http://127.0.0.1:1/", url_list=urls)["rps"] == 10.0
    assert seen["env"]["BENCH_URL_LIST"] == str(urls)
    assert "BENCH_URL_LIST" in run.LUA.read_text()


def wrk_row(rps):
    """What ``run_wrk`` returns for a round at ``rps``."""
    return {"rps": rps, "p50_ms": 1.0, "p99_ms": 2.0, "errors": 0}


def page(rps, cached=False, **fields):
    """A row of ``result["pages"]``."""
    return {**wrk_row(rps), "cached": cached, **fields}


def table(capsys, pages):
    """``print_table``'s rows, each split into its columns, by round name."""
    capsys.readouterr()  # what came before (the rounds' own lines: ==> home_varnish)
    run.print_table({"pages": pages})
    return {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[2:]}


def test_the_table_compares_warm_rounds_with_the_static_file(capsys):
    lines = table(
        capsys,
        {
            "hello": page(1000.0),
            "static_file": page(10000.0),
            "home_cold": page(100.0),
            "home_stack": page(5000.0, cached=True),
        },
    )
    assert lines["home_cold"][3] == "0.10"
    assert lines["home_stack"][1:5] == ["yes", "5000.0", "5.00", "0.50"]


def test_warm_rounds_are_compared_with_the_static_file_measured_last_before_them(capsys):
    lines = table(
        capsys,
        {
            "hello": page(1000.0),
            "static_file": page(10000.0),
            "home_varnish": page(8000.0, cached=True),
            "static_file_again": page(12500.0),
            "home_stack": page(5000.0, cached=True),
        },
    )
    assert lines["home_varnish"][4] == "0.80"
    assert lines["home_stack"][4] == "0.40"


def test_a_cold_round_is_compared_with_the_hello_measured_around_it(capsys):
    """``hello_rps`` (the hello measured around the round's slices) is the reference of its
    row, shown in the last column; a row without it uses the hello row before it."""
    lines = table(
        capsys,
        {
            "hello": page(2000.0),
            "home_cold": page(150.0, hello_rps=1500.0),
            "pairs_cold": page(150.0),
        },
    )
    assert lines["home_cold"][3] == "0.10"
    assert lines["home_cold"][-1] == "1500.0"
    assert lines["pairs_cold"][3] == "0.07"


def test_a_cold_round_is_sliced_between_hello_rounds(monkeypatch):
    """measure_between: hello, then for each round its slices, each followed by a hello slice;
    the round's reference is the mean over its slices of the hello just before and just after
    each, and its last hello is the next round's first. A round BENCH_PAGES leaves out runs
    neither itself nor a hello."""
    monkeypatch.setattr(run, "SLICES", 2)
    monkeypatch.setattr(run, "DURATION", 10)
    hellos = iter([1800.0, 1600.0, 1400.0, 1200.0, 1000.0])
    pages = iter([100.0, 140.0, 90.0, 110.0])
    calls = []

    def fake_wrk(url, headers=None, url_list=None, duration=None):
        calls.append((url, duration))
        row = wrk_row(next(hellos) if url.endswith("/hello/") else next(pages))
        if not url.endswith("/hello/"):
            row.update(p50_ms=row["rps"] / 100, p99_ms=row["rps"] / 10, errors=1)
        return row

    monkeypatch.setattr(run, "run_wrk", fake_wrk)
    monkeypatch.setenv("BENCH_PAGES", "home_cold,news_list_cold")
    result = {"pages": {}}
    rounds = [
        ("home_cold", "http://cold/", {}),
        ("pairs_cold", "http://cold/pairs/", {}),
        ("news_list_cold", "http://cold/news/", {}),
    ]
    run.measure_between(result, rounds, "hello", "http://app/bench/hello/")
    hello, home, news = "http://app/bench/hello/", "http://cold/", "http://cold/news/"
    order = [hello, home, hello, home, hello, news, hello, news, hello]
    assert calls == [(url, 5) for url in order]
    home_row = result["pages"]["home_cold"]
    # Slices at 100 and 140 req/s, between hellos at 1800, 1600 and 1400: (1700 + 1500) / 2.
    assert home_row["rps"] == 120.0
    assert home_row["hello_rps"] == 1600.0
    assert home_row["slices_rps"] == [100.0, 140.0]
    assert home_row["hello_slices_rps"] == [1800.0, 1600.0, 1400.0]
    assert (home_row["p50_ms"], home_row["p99_ms"], home_row["errors"]) == (1.2, 14.0, 2)
    assert home_row["cached"] is False
    # The next round starts from the last hello of the one before (1400).
    assert result["pages"]["news_list_cold"]["hello_rps"] == 1200.0
    assert "pairs_cold" not in result["pages"]


def test_a_long_tail_round_hands_its_url_list_to_every_slice(monkeypatch):
    monkeypatch.setattr(run, "SLICES", 3)
    seen = []

    def fake_wrk(url, headers=None, url_list=None, duration=None):
        seen.append((url, url_list))
        return wrk_row(10.0)

    monkeypatch.setattr(run, "run_wrk", fake_wrk)
    monkeypatch.delenv("BENCH_PAGES", raising=False)
    result = {"pages": {}}
    rounds = [("article_long_tail_cold", "http://cold/", {"url_list": "urls.txt"})]
    run.measure_between(result, rounds, "hello", "http://app/bench/hello/", 1000.0)
    assert seen.count(("http://cold/", "urls.txt")) == 3
    assert seen.count(("http://app/bench/hello/", None)) == 3


def test_a_warm_round_is_compared_with_the_static_file_measured_around_it(monkeypatch, capsys):
    """The warm rounds start from the static_file row before them, have a static_file slice
    after each of their slices, and record whether Varnish had the page just before them."""
    monkeypatch.setattr(run, "SLICES", 1)
    speeds = iter([20000.0, 30000.0])
    monkeypatch.setattr(
        run, "run_wrk", lambda url, **options: wrk_row(next(speeds) if "static" in url else 12500.0)
    )
    monkeypatch.setattr(run, "is_varnish_hit", lambda url: url.endswith("/"))
    monkeypatch.delenv("BENCH_PAGES", raising=False)
    result = {"pages": {"hello": page(1000.0), "static_file": page(10000.0)}}
    rounds = [("home_varnish", "http://varnish/", {}), ("pairs_varnish", "http://varnish/p", {})]
    run.measure_between(result, rounds, "static", "http://nginx/static/x", 10000.0, warm=True)
    assert result["pages"]["home_varnish"]["static_rps"] == 15000.0
    assert result["pages"]["pairs_varnish"]["static_rps"] == 25000.0
    assert [result["pages"][name]["cached"] for name, _url, _ in rounds] == [True, False]
    lines = table(capsys, result["pages"])
    assert lines["home_varnish"][4] == "0.83"
    assert lines["home_varnish"][-1] == "15000.0"
    assert lines["pairs_varnish"][4] == "0.50"


def test_every_round_asks_for_gzip_as_a_browser_does(monkeypatch):
    """wrk sends Accept-Encoding: gzip (BENCH_ACCEPT_ENCODING) on every round, warm or cold."""
    seen = {}

    def fake_run(command, **kwargs):
        seen["command"] = command
        return wrk_process(command)

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    run.run_wrk("http://127.0.0.1:1/")
    command = seen["command"]
    assert command[command.index("-H") + 1] == "Accept-Encoding: gzip"


def test_a_slice_runs_wrk_for_its_own_duration(monkeypatch):
    seen = []

    def fake_run(command, **kwargs):
        seen.append(command)
        return wrk_process(command)

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    monkeypatch.setattr(run, "DURATION", 10)
    run.run_wrk("http://127.0.0.1:1/", duration=2)
    run.run_wrk("http://127.0.0.1:1/")
    assert "-d2s" in seen[0] and "-d10s" in seen[1]
