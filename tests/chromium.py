"""One Chromium for the whole test session, for every browser test file (Playwright's sync API runs once
per process: a second session-scoped browser in another file would fail to start)."""
from __future__ import annotations

import pytest

from test_browser import AXE, CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium ontbreekt: {CHROMIUM} bestaat niet. Installeer het met `apt-get install chromium` "
                    "(bash scripts/test.sh doet dat).", pytrace=False)
    if not AXE.is_file():
        pytest.fail(f"axe-core ontbreekt: {AXE} bestaat niet. Draai `npm ci` in de repository "
                    "(bash scripts/test.sh doet dat).", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright ontbreekt: installeer BUUT met `pip install -e '.[test]'` "
                    "(bash scripts/test.sh doet dat).", pytrace=False)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
