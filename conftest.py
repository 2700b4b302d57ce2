"""pytest hooks for the whole repository (pytest-odoo runs the tests)."""

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
