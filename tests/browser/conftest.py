"""Real-browser tests: Playwright driving Debian's Chromium against the live test server.

Without Chromium the tests skip and say how to install it; with REQUIRE_BROWSER=1 (as in
CI) a missing browser fails the run instead, so CI never passes by skipping them.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
]
INSTALL_HINT = (
    "Chromium not found at {path}: install it with "
    "`apt-get update && apt-get install -y chromium fonts-noto-cjk` "
    "(or set CHROMIUM_PATH), and `pip install -e .[dev]` for playwright."
)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        playwright_missing = True
    else:
        playwright_missing = False
    if playwright_missing or not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = INSTALL_HINT.format(path=CHROMIUM)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """What Chromium reported as blocked by the Content-Security-Policy, on any page the
    test opened with new_page (Chromium logs each violation to the console)."""
    return []


@pytest.fixture
def new_page(browser, csp_violations):
    """Open pages in fresh contexts (separate cookies), closed after the test."""
    contexts = []

    def record(message) -> None:
        if "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    def open_page():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", record)
        return page

    yield open_page
    for context in contexts:
        context.close()
