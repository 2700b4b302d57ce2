# The exception models and the source mixin load first: the source documents
# below inherit the mixin.
from . import distrib_exception, distrib_exception_source_mixin

# isort: split
from . import (
    account_move,
    distrib_approval_decision,
    distrib_approval_policy,
    distrib_approval_request,
    distrib_exception_root_cause,
    distrib_exception_rule,
    distrib_exception_team,
    distrib_scenario,
    purchase_order,
    res_company,
    res_config_settings,
    sale_order,
    stock_picking,
    stock_quant,
)
