"""What the browser tests share: launching Chromium, pages, logging in, axe-core, screenshots."""

import os
import re
from contextlib import contextmanager

from django.conf import settings
from django.urls import reverse

CHROMIUM = os.environ.get("QXS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "e2e-口令-2004-qiqihar"
DESKTOP = 1280
PHONE = 375
# Browsers ask for /favicon.ico on every page whatever the HTML says; its 404 is not the page's.
IGNORED_PROBLEM_URLS = re.compile(r"/favicon\.ico$")


@contextmanager
def launch_chromium():
    """Debian's Chromium under Playwright; Playwright's own browser builds are never used."""
    from playwright.sync_api import expect, sync_playwright

    # The machine is small and shared: give assertions time before calling a page wrong.
    expect.set_options(timeout=10_000)
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium (make e2e does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, base_url, *, width=DESKTOP, height=None, locale="zh-CN", javascript=True):
    """A page in a new context: its own cookies, a Chinese reader's language and time zone.

    At phone widths the context is a mobile one (the viewport meta tag applies, touch events).
    ``page.problems`` collects console errors, uncaught exceptions and failed requests.
    """
    phone = width <= 480
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": height or (740 if phone else 900)},
        is_mobile=phone,
        has_touch=phone,
        locale=locale,
        timezone_id=settings.TIME_ZONE,
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Public pages may be kept by a browser for a minute (Cache-Control: max-age=60), as the
    # delivery design wants; these journeys check what the site serves after each step, so the
    # browser's own cache is off (the stack tests check the caches).
    devtools = context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.problems = []

    def on_console(message):
        if message.type == "error" and not IGNORED_PROBLEM_URLS.search(
            message.location.get("url", "")
        ):
            page.problems.append(f"console: {message.text} ({message.location.get('url')})")

    def on_response(response):
        if response.status >= 400 and not IGNORED_PROBLEM_URLS.search(response.url):
            page.problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.problems.append(f"JavaScript error: {error}"))
    page.on("response", on_response)
    return page


def login(page, username, password=PASSWORD):
    """Sign in through the admin's login form, as an editor would."""
    page.goto(reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form [type=submit]")
    page.wait_for_url(re.compile(re.escape(reverse("admin:index")) + r"$"))


def picture_button(page):
    """The prose editor's toolbar button that inserts a picture (or, with one selected,
    changes it: the button is then ``active``)."""
    return page.locator('.prose-menubar button[data-name="qxsPicture"]')


def serious_accessibility_violations(page):
    """axe-core's serious and critical violations on the page, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in {"serious", "critical"}:
            continue
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        lines.append(
            f"{page.url}: {violation['impact']} {violation['id']} ({violation['help']}): "
            f"{len(violation['nodes'])} element(s), e.g. {targets}"
        )
    return lines


def horizontal_overflow(page):
    """Elements sticking out past the right edge of the screen (none: the page fits).

    Measured against the viewport's width in CSS pixels as set, not ``window.innerWidth``,
    so a page without a viewport meta tag (laid out 980 px wide on phones) fails too.
    """
    return page.evaluate(
        """(width) => {
            if (document.documentElement.scrollWidth <= width) return [];
            const describe = (el) => el.tagName.toLowerCase()
                + (el.id ? "#" + el.id : "")
                + (el.className && typeof el.className === "string"
                    ? "." + el.className.trim().split(/\\s+/).join(".") : "");
            const wide = Array.from(document.body.querySelectorAll("*"))
                .filter((el) => el.getBoundingClientRect().right > width + 0.5)
                .slice(0, 8)
                .map((el) => describe(el) + " right=" + el.getBoundingClientRect().right);
            return wide.length ? wide : ["html"];
        }""",
        page.viewport_size["width"],
    )


def save_screenshot(page, name):
    """A full-page screenshot in var/screenshots/<name>.png."""
    directory = settings.BASE_DIR / "var" / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def make_png(path, width=1200, height=750):
    """A real PNG photo stand-in (a gradient) for upload tests."""
    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image.save(path, format="PNG")
    return path
