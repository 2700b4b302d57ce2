from . import (
    distrib_atp,
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

# the demo scenario (its steps in distrib_scenario_atp extend the base builder)
# isort: off
from . import distrib_scenario
from . import distrib_scenario_atp

# isort: on
