"""pytest hooks for the whole repository (pytest-odoo runs the tests)."""

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_collection(session):
    # Test modules import odoo.tests, which logs an error unless Odoo is in test
    # mode. Test mode is only switched on while collecting: the registry must load
    # with it off, or Odoo would run every module's at_install tests on loading.
    try:
        from odoo.tools import config
    except ImportError:
        yield
        return
    previous = config["test_enable"]
    config["test_enable"] = True
    try:
        yield
    finally:
        config["test_enable"] = previous


# Skip reasons Odoo's HttpCase gives when no browser test can run (no Chrome, no
# websocket-client, Chrome not answering). On a developer's machine they stay skips;
# under CI (CI=true) they fail the run: a UI test that did not run is not green.
BROWSER_SKIP_REASONS = (
    "Chrome executable not found",
    "websocket-client module is not installed",
    "Failed to detect chrome devtools port",
    "Error during Chrome headless connection",
    "Error during Chrome connection",
    "Cannot connect to chrome dev tools",
)


def _under_ci():
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _skip_reason(report):
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr or "")


def _is_browser_skip(reason):
    if any(text in reason for text in BROWSER_SKIP_REASONS):
        return True
    # ChromeBrowser: "<executable> not found" when spawning the binary fails
    return reason.rstrip().endswith(" not found") and "chrom" in reason.lower()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and _under_ci()):
        return
    reason = _skip_reason(report)
    if _is_browser_skip(reason):
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid}: this browser test was skipped ({reason.strip()}), "
            "and under CI (CI=true) a browser test must run: install Chromium "
            "('make deps' does it with apt-get) or Google Chrome."
        )


@pytest.fixture(scope="session", autouse=True)
def _manifests_read_once():
    """Read every addon's manifest once, before any browser test.

    CPython 3.11's parser is not thread-safe (gh-106905, "AST constructor
    recursion depth mismatch"): on their first requests, the test server's
    threads all parse the manifests at once (``odoo.http.root.statics``), and a
    tour then fails at random. Parsed here, in one thread, they are cached.
    """
    try:
        import odoo.http
    except ImportError:
        return
    odoo.http.root.statics  # noqa: B018 (a lazy property: reading it fills it)
