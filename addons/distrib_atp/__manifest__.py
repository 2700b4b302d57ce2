{
    "name": "Distribution: Available to Promise",
    "summary": "Multi-company, multi-warehouse available-to-promise, sourcing "
    "suggestions and promise dates; the Distribution app and its roles",
    "version": "18.0.1.1.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["sale_stock", "purchase_stock"],
    "data": [
        "security/distrib_atp_security.xml",
        "security/ir.model.access.csv",
        "security/distrib_atp_rules.xml",
        "views/distrib_atp_menus.xml",
        "views/distrib_customer_segment_views.xml",
        "views/res_partner_views.xml",
        "views/stock_location_views.xml",
        "views/stock_warehouse_views.xml",
        "views/res_config_settings_views.xml",
        "views/stock_lot_views.xml",
        "views/distrib_product_substitute_views.xml",
        "views/sale_order_views.xml",
        "views/sale_order_line_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "distrib_atp/static/src/components/**/*",
        ],
        "web.assets_tests": [
            "distrib_atp/static/tests/tours/*.esm.js",
        ],
    },
    "installable": True,
    "application": True,
}
