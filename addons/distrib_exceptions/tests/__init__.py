from . import (
    test_approvals,
    test_concurrency,
    test_cycle_count,
    test_delayed_receipt,
    test_exception_queue,
    test_receipt_variance,
    test_rpc_safety,
    test_source_reference,
    test_three_way_match,
)
