from . import (
    distrib_collection_report,
    distrib_inventory_status_report,
    distrib_order_kpi_report,
)
