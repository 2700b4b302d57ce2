from . import (
    test_rebate_accrual,
    test_rebate_checks,
    test_rebate_concurrency,
    test_tiers,
)
