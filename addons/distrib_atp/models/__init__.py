from . import (
    distrib_customer_segment,
    res_company,
    res_config_settings,
    res_partner,
    stock_location,
    stock_warehouse,
)
from . import distrib_scenario
