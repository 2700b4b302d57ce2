{
    "name": "Distribution: Order Orchestration",
    "summary": (
        "Order event states with an audit trail, credit and margin checks, "
        "invoice on shipment, returns to resolution, operational KPIs"
    ),
    "version": "18.0.1.2.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["distrib_exceptions"],
    "data": [
        "security/ir.model.access.csv",
        "security/distrib_orchestration_security.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/distrib_return_reason_data.xml",
        "data/distrib_exception_root_cause_data.xml",
        "views/sale_order_views.xml",
        "views/distrib_order_event_views.xml",
        "views/distrib_order_dispute_views.xml",
        "views/distrib_return_authorization_views.xml",
        "views/product_category_views.xml",
        "views/distrib_kpi_views.xml",
        "views/res_config_settings_views.xml",
        "views/distrib_orchestration_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "distrib_orchestration/static/src/components/**/*",
        ],
    },
    "installable": True,
}
