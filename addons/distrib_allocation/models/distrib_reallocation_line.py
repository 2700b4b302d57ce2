from odoo import fields, models


class DistribReallocationLine(models.Model):
    """What one lower-priority order loses in a re-allocation."""

    _name = "distrib.reallocation.line"
    _description = "Re-allocation Line"
    _order = "reallocation_id, sequence, id"

    reallocation_id = fields.Many2one(
        "distrib.reallocation", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="reallocation_id.company_id", store=True)
    move_id = fields.Many2one("stock.move", string="Reserved Move", readonly=True)
    order_id = fields.Many2one("sale.order", string="Loses Units", readonly=True)
    partner_id = fields.Many2one(related="order_id.partner_id")
    priority = fields.Selection(related="order_id.distrib_allocation_priority")
    reserved_qty = fields.Float(
        string="Reserved", readonly=True, digits="Product Unit of Measure"
    )
    quantity = fields.Float(
        string="Taken", readonly=True, digits="Product Unit of Measure"
    )
    date_before = fields.Date(string="Promise Before", readonly=True)
    date_after = fields.Date(
        string="New Promise",
        readonly=True,
        help="When the units taken are expected again (empty: no planned receipt "
        "covers them).",
    )
