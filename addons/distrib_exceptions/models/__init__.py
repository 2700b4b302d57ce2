# The mixins and the exception models load first: the models below inherit
# them.
from . import distrib_exception_type_mixin, distrib_source_reference_mixin

# isort: split
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
    purchase_order,
    res_company,
    res_config_settings,
    sale_order,
    stock_picking,
    stock_quant,
)
