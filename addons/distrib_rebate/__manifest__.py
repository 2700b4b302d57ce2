{
    "name": "Distribution: Customer Rebates",
    "summary": (
        "Customer rebate agreements accrued in the invoice's own transaction, "
        "trued up by tier, settled by credit note or payable, and counted in "
        "the margin check and the price alerts"
    ),
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["account", "distrib_ai_alerts"],
    "data": [
        "security/ir.model.access.csv",
        "security/distrib_rebate_security.xml",
        "views/distrib_rebate_agreement_views.xml",
        "views/distrib_rebate_accrual_views.xml",
        "views/res_config_settings_views.xml",
        "views/distrib_rebate_menus.xml",
    ],
    "installable": True,
}
