from odoo import fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    distrib_ic_customer_line_id = fields.Many2one(
        "sale.order.line",
        string="Customer Order Line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The customer's order line this intercompany purchase fulfils.",
    )
