"""Run the staleness scenarios of ``tests/staleness.py`` against a running stack.

Started by ``tests/stack/test_staleness.py`` in a process of its own with the stack's settings
(``var/stack.env``'s variables): each scenario's rows are written to the stack's database and its
purges go to the stack's Varnish, as an editor's would; its pages are read over HTTP through
nginx. Prints one JSON line: ``{scenario name: [problems]}`` (an empty list when it held).

Usage: ``python tests/stack/staleness_runner.py http://127.0.0.1:8150``
"""

import json
import sys
import time
import urllib.error
import urllib.request

import django

# Within this long of the change (of the scheduled time, for a scenario without a write) every
# page must show it: purges go out after the commit, with no TTL to wait for.
DEADLINE = 1.0


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def problems_of(base, page):
    status, headers, body = fetch(base + page.url)
    found = []
    if status != page.status:
        found.append(f"{page.url}: status {status}, expected {page.status}")
    found += [f"{page.url}: does not show {text!r}" for text in page.shows if text not in body]
    found += [f"{page.url}: still shows {text!r}" for text in page.hides if text in body]
    return found, headers


def run(base, scenario):
    ctx = scenario.arrange()
    problems = []
    for page in scenario.before(ctx):
        problems_of(base, page)
        found, headers = problems_of(base, page)
        problems += [f"before the change, {problem}" for problem in found]
        if page.status == 200 and headers.get("X-Cache") != "HIT":
            problems.append(f"before the change, {page.url} is not a Varnish hit")
    if scenario.change is not None:
        scenario.change(ctx)
    else:
        time.sleep(scenario.wait)
    changed = time.monotonic()
    pending = scenario.after(ctx)
    while True:
        remaining = []
        for page in pending:
            found, _headers = problems_of(base, page)
            if found:
                remaining.append((page, found))
        if not remaining or time.monotonic() - changed > DEADLINE:
            break
        pending = [page for page, _found in remaining]
        time.sleep(0.05)
    for _page, found in remaining:
        problems += [f"{DEADLINE:g} s after the change, {problem}" for problem in found]
    return problems


def main(base):
    django.setup()
    from tests.staleness import SCENARIOS

    results = {}
    for scenario in SCENARIOS:
        try:
            results[scenario.name] = run(base, scenario)
        except Exception as exc:  # reported with the others, not a traceback that hides them
            results[scenario.name] = [f"error: {exc!r}"]
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
