{
    "name": "Distribution: Explained Alerts",
    "summary": (
        "Explained anomaly alerts and late-order risk scores that land in "
        "the exception queue"
    ),
    "version": "18.0.1.1.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["distrib_atp", "distrib_orchestration"],
    "external_dependencies": {"python": ["numpy"]},
    "data": [
        "security/ir.model.access.csv",
        "security/distrib_ai_alerts_security.xml",
        "data/ir_cron_data.xml",
        "data/distrib_exception_root_cause_data.xml",
        "views/distrib_ai_alert_views.xml",
        "views/distrib_ai_model_views.xml",
        "views/distrib_ai_feedback_views.xml",
        "views/distrib_exception_views.xml",
        "views/res_config_settings_views.xml",
        "views/distrib_ai_alerts_menus.xml",
    ],
    "installable": True,
}
