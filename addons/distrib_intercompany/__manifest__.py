{
    "name": "Distribution: Intercompany Fulfilment",
    "summary": (
        "A sale in one company fulfilled from another company's stock, with "
        "its intercompany orders, transfers, invoices and bills kept in "
        "sync"
    ),
    "version": "18.0.1.1.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["distrib_orchestration"],
    "data": [
        "security/ir.model.access.csv",
        "security/distrib_intercompany_security.xml",
        "views/distrib_intercompany_rule_views.xml",
        "views/distrib_intercompany_balance_views.xml",
        "views/res_config_settings_views.xml",
        "views/sale_order_views.xml",
        "views/purchase_order_views.xml",
    ],
    "installable": True,
}
