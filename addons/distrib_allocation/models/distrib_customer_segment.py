from odoo import fields, models

from ..priorities import DEFAULT_PRIORITY, PRIORITIES


class DistribCustomerSegment(models.Model):
    _inherit = "distrib.customer.segment"

    distrib_allocation_priority = fields.Selection(
        PRIORITIES,
        string="Allocation Priority",
        default=DEFAULT_PRIORITY,
        required=True,
        help="When stock is short, orders of a higher priority are reserved and "
        "promised first.",
    )
