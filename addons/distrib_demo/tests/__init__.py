from . import (
    test_scenario_ai_alerts,
    test_scenario_allocation,
    test_scenario_atp,
    test_scenario_barcode,
    test_scenario_close,
    test_scenario_exceptions,
    test_scenario_intercompany,
    test_scenario_orchestration,
    test_scenario_rebate,
)
