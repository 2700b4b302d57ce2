from odoo import fields, models


class DistribExceptionRootCause(models.Model):
    _name = "distrib.exception.root.cause"
    _description = "Exception Root Cause"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the root cause with every company."
    )
    description = fields.Text()

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A root cause code must be unique per company.",
        )
    ]
