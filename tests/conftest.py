"""Shared helpers for the cross-addon tests (run by pytest-odoo, see README)."""

import os
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISTRIB_ADDONS = [
    "distrib_atp",
    "distrib_exceptions",
    "distrib_orchestration",
    "distrib_intercompany",
    "distrib_ai_alerts",
    "distrib_rebate",
    "distrib_allocation",
    "distrib_close",
    "distrib_barcode",
    "distrib_demo",
]


def run_odoo(*args, check=True):
    """Run tools/odoo.sh in a separate process; return the completed process."""
    result = subprocess.run(
        [os.path.join(REPO, "tools", "odoo.sh"), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode:
        raise AssertionError(
            f"odoo {' '.join(args)} failed:\n{result.stdout[-3000:]}"
            f"\n{result.stderr[-3000:]}"
        )
    return result


@pytest.fixture(scope="session")
def pg_env():
    env = dict(os.environ)
    env.setdefault("PGHOST", "127.0.0.1")
    env.setdefault("PGUSER", "odoo")
    return env
