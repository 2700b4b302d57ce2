from . import (
    test_atp_compact,
    test_atp_concurrency,
    test_atp_engine,
    test_atp_rpc,
    test_atp_ui,
    test_sale_atp,
    test_sourcing_promise,
    test_stock_status,
)
