{
    "name": "Distribution: Exceptions and Approvals",
    "summary": (
        "One exception queue with owners, SLA and escalation; threshold "
        "approvals with an audit trail; inventory-finance control points"
    ),
    "version": "18.0.1.2.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["distrib_atp", "stock_account"],
    "data": [
        "security/ir.model.access.csv",
        "security/distrib_exceptions_security.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/distrib_exception_root_cause_data.xml",
        "views/distrib_exception_views.xml",
        "views/distrib_exception_config_views.xml",
        "views/distrib_approval_views.xml",
        "views/source_document_views.xml",
        "views/res_config_settings_views.xml",
        "views/distrib_exceptions_menus.xml",
    ],
    "installable": True,
}
