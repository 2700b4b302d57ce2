"""Each addon installs alone, with only what it depends on, in its own database.

The core modules are installed once into a template database; each addon is then
installed into a copy of it by a separate Odoo process.
"""

import subprocess

import psycopg2
import pytest

from .conftest import DISTRIB_ADDONS, run_odoo

TEMPLATE = "distrib_install_template"
# what each addon must bring along, and what it must never pull in
EXPECTED_DEPENDS = {
    "distrib_atp": ["sale_stock", "purchase_stock"],
    "distrib_exceptions": ["distrib_atp", "stock_account"],
    "distrib_orchestration": ["distrib_exceptions", "distrib_atp"],
    "distrib_intercompany": ["distrib_orchestration", "distrib_exceptions"],
    "distrib_ai_alerts": ["distrib_orchestration", "distrib_exceptions"],
    "distrib_rebate": ["distrib_ai_alerts", "distrib_orchestration", "account"],
    "distrib_allocation": ["distrib_intercompany", "distrib_orchestration"],
    "distrib_close": ["stock_landed_costs", "distrib_intercompany"],
    "distrib_barcode": ["barcodes_gs1_nomenclature", "distrib_exceptions"],
    "distrib_demo": [
        "distrib_intercompany",
        "distrib_ai_alerts",
        "distrib_rebate",
        "distrib_allocation",
        "distrib_close",
        "distrib_barcode",
    ],
}
# the demo builder lives in distrib_demo only: no runtime addon registers it
DEMO_MODEL = "distrib.scenario"


def _query(pg_env, dbname, query, params=None):
    conn = psycopg2.connect(dbname=dbname, host=pg_env["PGHOST"], user=pg_env["PGUSER"])
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            return {row[0] for row in cr.fetchall()}
    finally:
        conn.close()


def _installed_modules(pg_env, dbname):
    return _query(
        pg_env, dbname, "SELECT name FROM ir_module_module WHERE state = 'installed'"
    )


@pytest.fixture(scope="module")
def template_db(pg_env):
    subprocess.run(["dropdb", "--if-exists", TEMPLATE], env=pg_env, check=True)
    run_odoo(
        "-d",
        TEMPLATE,
        "-i",
        "sale_stock,purchase_stock,stock_account",
        "--stop-after-init",
        "--without-demo=all",
        "--log-level=warn",
    )
    yield TEMPLATE
    subprocess.run(["dropdb", "--if-exists", TEMPLATE], env=pg_env, check=True)


@pytest.mark.parametrize("addon", DISTRIB_ADDONS)
def test_addon_installs_alone(addon, template_db, pg_env):
    dbname = f"distrib_install_{addon}"
    subprocess.run(["dropdb", "--if-exists", dbname], env=pg_env, check=True)
    subprocess.run(["createdb", "-T", template_db, dbname], env=pg_env, check=True)
    try:
        result = run_odoo(
            "-d", dbname, "-i", addon, "--stop-after-init", "--log-level=warn"
        )
        assert " ERROR " not in result.stderr, result.stderr[-3000:]
        installed = _installed_modules(pg_env, dbname)
        assert addon in installed
        for dependency in EXPECTED_DEPENDS[addon]:
            assert dependency in installed, f"{addon} did not bring {dependency}"
        higher = set(DISTRIB_ADDONS) - installed
        position = DISTRIB_ADDONS.index(addon)
        # no addon pulls in one that sits beside or above it in the stack
        for other in DISTRIB_ADDONS[position + 1 :]:
            if other not in EXPECTED_DEPENDS[addon]:
                assert other in higher, f"{addon} pulled in {other}"
        models = _query(
            pg_env, dbname, "SELECT model FROM ir_model WHERE model = %s", [DEMO_MODEL]
        )
        assert (DEMO_MODEL in models) == (addon == "distrib_demo"), (
            f"{addon} alone: {DEMO_MODEL} registered: {DEMO_MODEL in models}"
        )
    finally:
        subprocess.run(["dropdb", "--if-exists", dbname], env=pg_env, check=True)
