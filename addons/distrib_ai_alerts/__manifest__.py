{
    "name": "Distribution: Explained Alerts",
    "summary": (
        "Explained anomaly alerts and late-order risk scores that land in "
        "the exception queue"
    ),
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["distrib_orchestration"],
    "data": [],
    "installable": True,
}
