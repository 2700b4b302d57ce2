from . import (
    test_accounting,
    test_concurrency,
    test_confirm,
    test_fulfilment,
    test_returns,
    test_rule,
    test_scenario_step,
    test_security,
    test_sync,
)
