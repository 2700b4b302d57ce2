# loaded first: the models below inherit it
from . import distrib_workflow_mixin

# isort: split
from . import (
    account_move,
    account_move_line,
    distrib_approval_policy,
    distrib_exception_type_mixin,
    distrib_kpi_dashboard,
    distrib_order_dispute,
    distrib_order_event,
    distrib_order_event_chain,
    distrib_return_authorization,
    distrib_return_authorization_line,
    distrib_return_reason,
    product_category,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_checks,
    sale_order_invoicing,
    sale_order_line,
    sale_order_margin,
    sale_order_state,
    stock_move,
    stock_picking,
)
