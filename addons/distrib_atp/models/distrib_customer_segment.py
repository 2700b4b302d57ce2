from odoo import fields, models


class DistribCustomerSegment(models.Model):
    _name = "distrib.customer.segment"
    _description = "Customer Segment"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text()
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A customer segment code must be unique."),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("distrib_segment_id", "in", self.ids)],
                groupby=["distrib_segment_id"],
                aggregates=["__count"],
            )
        )
        for segment in self:
            segment.partner_count = counts.get(segment, 0)
