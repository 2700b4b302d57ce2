{
    "name": "Distribution: Allocation by Priority",
    "summary": (
        "Customer priorities for reservation and promises, re-allocation with "
        "approval, automatic sourcing within policy and one shortage exception "
        "for what policy cannot resolve"
    ),
    "version": "18.0.1.1.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "distrib",
    "website": "https://github.com/distrib/distrib",
    "depends": ["distrib_intercompany"],
    "data": [
        "security/ir.model.access.csv",
        "security/distrib_allocation_security.xml",
        "data/ir_sequence_data.xml",
        "wizards/distrib_priority_override_views.xml",
        "views/distrib_customer_segment_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/distrib_reallocation_views.xml",
        "views/distrib_allocation_log_views.xml",
        "views/distrib_sourcing_policy_views.xml",
        "views/distrib_exception_views.xml",
        "views/res_config_settings_views.xml",
        "views/distrib_allocation_menus.xml",
    ],
    "installable": True,
}
