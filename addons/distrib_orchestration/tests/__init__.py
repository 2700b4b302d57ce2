from . import (
    test_approval_recheck,
    test_confirmation_checks,
    test_dashboard_drilldown,
    test_dashboard_ui,
    test_dispute_rpc,
    test_event_chain,
    test_invoice_on_shipment,
    test_kpi,
    test_margin,
    test_order_state,
    test_returns,
    test_rpc_controls,
)
