{
    "name": "Distribution: Landed Costs, Accruals and Period Close",
    "summary": (
        "Expected landed costs booked at receipt and trued up from the carrier's "
        "bill, month-end received-not-billed accruals, and a per-company close "
        "cockpit whose checklist checks itself"
    ),
    "version": "18.0.1.1.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["stock_landed_costs", "distrib_intercompany"],
    "data": [
        "security/ir.model.access.csv",
        "security/distrib_close_security.xml",
        "data/ir_cron_data.xml",
        "views/distrib_landed_cost_term_views.xml",
        "views/stock_landed_cost_views.xml",
        "views/account_move_views.xml",
        "views/distrib_accrual_run_views.xml",
        "views/distrib_grni_report_views.xml",
        "views/distrib_close_period_views.xml",
        "views/res_config_settings_views.xml",
        "views/distrib_close_menus.xml",
    ],
    "installable": True,
}
