from . import (
    test_confirmation_checks,
    test_dashboard_ui,
    test_invoice_on_shipment,
    test_kpi,
    test_margin,
    test_order_state,
    test_returns,
    test_scenario_step,
)
