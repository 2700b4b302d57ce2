{
    "name": "Distribution: Warehouse Scanning",
    "summary": (
        "Receive, pick, count, move, hold and look up stock by scanning, on a "
        "phone or a handheld scanner; the controls of the suite apply on the spot"
    ),
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["barcodes", "barcodes_gs1_nomenclature", "distrib_exceptions"],
    "data": [
        "security/ir.model.access.csv",
        "security/distrib_barcode_security.xml",
        "views/distrib_barcode_scan_views.xml",
        "views/res_config_settings_views.xml",
        "views/distrib_barcode_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "distrib_barcode/static/src/**/*",
        ],
        "web.assets_tests": [
            "distrib_barcode/static/tests/tours/*.esm.js",
        ],
    },
    "installable": True,
}
