from . import (
    test_accounting,
    test_concurrency,
    test_confirm,
    test_fulfilment,
    test_order_state_ic,
    test_promise_source,
    test_reporting_access,
    test_returns,
    test_rule,
    test_security,
    test_sourcing_options,
    test_sync,
)
