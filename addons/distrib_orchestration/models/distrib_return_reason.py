from odoo import fields, models


class DistribReturnReason(models.Model):
    _name = "distrib.return.reason"
    _description = "Return Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    default_disposition = fields.Selection(
        [
            ("sellable", "Back to Sellable Stock"),
            ("scrap", "Scrap"),
            ("vendor", "Return to Vendor"),
        ],
        help="Disposition proposed on the lines of a return with this reason.",
    )
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the reason with every company."
    )

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The code must be unique.")
    ]
