{
    "name": "Distribution: Exceptions and Approvals",
    "summary": (
        "One exception queue with owners, SLA and escalation; threshold "
        "approvals with an audit trail; inventory-finance control points"
    ),
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["distrib_atp", "stock_account"],
    "data": [],
    "installable": True,
}
