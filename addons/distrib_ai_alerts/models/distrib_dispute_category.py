from odoo import fields, models


class DistribDisputeCategory(models.Model):
    """What a customer disputes (pricing, quantity short, damaged, ...): a
    configurable list; each category names the team that owns its disputes.
    ``code`` ties the built-in categories to the classifier's seed examples; a
    category added here is learnt from the disputes people file under it."""

    _name = "distrib.dispute.category"
    _description = "Dispute Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="The built-in category it stands for (its seed examples); empty "
        "for a category of your own."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    team_id = fields.Many2one(
        "distrib.exception.team",
        string="Owning Team",
        help="The team suggested for the disputes of this category.",
    )
    description = fields.Text()

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Two categories cannot share a code.")
    ]
