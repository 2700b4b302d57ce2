from . import (
    test_accruals,
    test_close,
    test_close_paths,
    test_close_rpc,
    test_grni_report,
    test_landed_costs,
    test_margin,
    test_terms,
    test_true_up,
)
