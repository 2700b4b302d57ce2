from . import (
    test_exception_types,
    test_late_risk,
    test_price_alerts,
    test_scoring_core,
    test_stock_alerts,
)
