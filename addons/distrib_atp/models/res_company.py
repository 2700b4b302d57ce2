from odoo import fields, models

ATP_POLICIES = [
    ("allow", "Allow"),
    ("warn", "Warn"),
    ("block", "Block"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    distrib_share_availability = fields.Boolean(
        string="Share Availability With Group Companies",
        help="Users of the other companies of the group see this company's "
        "available-to-promise figures (quantities only, never its documents).",
    )
    distrib_atp_promise = fields.Boolean(
        string="Promise From Available to Promise",
        help="When a sales order is confirmed, lock the products it sells in each "
        "warehouse, check them against the available-to-promise stock and record "
        "what is promised for when, so that two orders never promise the same "
        "units. Off: Odoo's confirmation is unchanged.",
    )
    distrib_atp_policy = fields.Selection(
        ATP_POLICIES,
        string="Confirmation Policy",
        default="allow",
        required=True,
        help="What happens when a line cannot be promised by the requested date:\n"
        "- Allow: confirm; the line is promised what is free and the rest is "
        "backordered with its promise date.\n"
        "- Warn: the same, and the salesperson gets a message and a to-do on the "
        "order.\n"
        "- Block: the order is not confirmed; the error lists the failing lines "
        "and the sourcing options.",
    )
    distrib_atp_commitment_date = fields.Boolean(
        string="Delivery Date Follows Promises",
        help="Set the delivery date (commitment date) of an order to the latest "
        "promise date of its lines.",
    )
    distrib_transfer_days = fields.Integer(
        string="Inter-Warehouse Transfer Days",
        default=2,
        help="Days added to the promise when a line ships from another warehouse.",
    )
    distrib_transfer_cost_percent = fields.Float(
        string="Inter-Warehouse Transfer Cost (%)",
        default=2.0,
        help="Extra logistics cost of shipping from another warehouse, in percent "
        "of the cost of the goods.",
    )
    distrib_intercompany_days = fields.Integer(
        string="Intercompany Lead Days",
        default=5,
        help="Days added to the promise when another company supplies the line.",
    )
    distrib_intercompany_markup_percent = fields.Float(
        string="Intercompany Markup (%)",
        default=5.0,
        help="Markup the supplying company charges on its cost.",
    )
