from . import (
    account_move,
    distrib_ai_model,
    distrib_kpi_dashboard,
    distrib_rebate_accrual,
    distrib_rebate_agreement,
    distrib_rebate_tier,
    res_company,
    res_config_settings,
    sale_order,
)
