from . import (
    test_barcode_count,
    test_barcode_pick,
    test_barcode_receive,
    test_barcode_resolve,
    test_barcode_stock,
    test_barcode_ui,
    test_sale_phone_atp,
)
