{
    "name": "Distribution: Demo Scenario",
    "summary": "Builds the deterministic multi-entity demo dataset of the distrib "
    "suite (companies, catalog, six months of history, open orders, exceptions, "
    "intercompany flows and alerts); never install it in production",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": [
        "distrib_atp",
        "distrib_exceptions",
        "distrib_orchestration",
        "distrib_intercompany",
        "distrib_ai_alerts",
        "distrib_rebate",
        "distrib_close",
        "distrib_barcode",
        "distrib_allocation",
    ],
    "data": [],
    "assets": {
        "web.assets_tests": [
            "distrib_demo/static/tests/tours/*.esm.js",
        ],
    },
    "installable": True,
}
