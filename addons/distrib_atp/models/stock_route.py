from odoo import fields, models


class StockRoute(models.Model):
    _inherit = "stock.route"

    distrib_ship_from_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Ships From Warehouse",
        readonly=True,
        index="btree_not_null",
        help="Route created by the sourcing options to deliver a sales order line "
        "from this warehouse instead of the order's warehouse.",
    )
