{
    "name": "Distribution: Order Orchestration",
    "summary": (
        "Order event states with an audit trail, credit and margin checks, "
        "invoice on shipment, returns to resolution, operational KPIs"
    ),
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["distrib_exceptions"],
    "data": [],
    "installable": True,
}
