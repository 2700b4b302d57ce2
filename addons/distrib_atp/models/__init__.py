# the mixin first: models below inherit it
from . import distrib_workflow_mixin  # isort: skip
from . import (
    distrib_atp,
    distrib_atp_compact,
    distrib_atp_lock,
    distrib_customer_segment,
    distrib_product_substitute,
    distrib_sourcing_option,
    product_template,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
    stock_location,
    stock_lot,
    stock_quant,
    stock_route,
    stock_warehouse,
)
