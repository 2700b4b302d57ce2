from . import (
    test_approval_impact,
    test_collections,
    test_currency_without_rate,
    test_disputes,
    test_exception_types,
    test_late_risk,
    test_precheck,
    test_price_alerts,
    test_scoring_core,
    test_stock_alerts,
    test_stockout,
)
