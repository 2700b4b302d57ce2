from odoo import fields, models

from ..priorities import PRIORITIES


class ResPartner(models.Model):
    _inherit = "res.partner"

    distrib_allocation_priority = fields.Selection(
        PRIORITIES,
        string="Allocation Priority",
        help="Priority of this customer's orders when stock is short. Empty: the "
        "priority of the customer's segment (standard without a segment).",
    )
