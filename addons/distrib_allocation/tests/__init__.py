from . import (
    test_auto_sourcing,
    test_displaced,
    test_expedite,
    test_kpi,
    test_priority,
    test_reallocation,
    test_reallocation_concurrency,
)
