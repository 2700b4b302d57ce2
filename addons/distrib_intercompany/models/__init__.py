from . import (
    account_move,
    account_tax,
    distrib_intercompany_balance,
    distrib_intercompany_rule,
    distrib_sourcing_option,
    purchase_order,
    purchase_order_line,
    sale_order,
    sale_order_line,
    stock_move,
    stock_picking,
)
