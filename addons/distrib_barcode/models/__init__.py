from . import (
    distrib_barcode_scan,
    distrib_barcode_scan_count,
    distrib_barcode_scan_picking,
    distrib_barcode_scan_resolve,
    distrib_barcode_scan_stock,
    res_company,
    res_config_settings,
)
