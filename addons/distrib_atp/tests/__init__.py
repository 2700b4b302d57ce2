from . import test_stock_status
