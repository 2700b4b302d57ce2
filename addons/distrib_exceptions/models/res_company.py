from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    distrib_receipt_variance_check = fields.Boolean(
        string="Receipt Variance Control",
        help="Validating a purchase receipt whose quantities differ from the "
        "order beyond the tolerance raises an exception and holds the vendor "
        "bills of the order until it is resolved.",
    )
    distrib_receipt_variance_tolerance = fields.Float(
        string="Receipt Tolerance (%)", default=5.0
    )
    distrib_cycle_count_approval = fields.Boolean(
        string="Cycle-Count Approval",
        help="Applying an inventory count whose value variance crosses the "
        "cycle-count approval policy waits for a finance approval.",
    )
    distrib_three_way_match = fields.Boolean(
        string="Three-Way Match",
        help="A vendor bill whose quantities or prices differ from the purchase "
        "order and the received quantities beyond the tolerances cannot be posted.",
    )
    distrib_match_qty_tolerance = fields.Float(
        string="Quantity Tolerance (%)", default=0.0
    )
    distrib_match_price_tolerance = fields.Float(
        string="Price Tolerance (%)", default=2.0
    )
    distrib_delayed_receipt_check = fields.Boolean(
        string="Delayed Receipt Alerts",
        help="Purchase lines past their scheduled date and not fully received "
        "raise an exception listing the customer orders waiting on them.",
    )
    distrib_delayed_receipt_grace_days = fields.Integer(string="Grace Days", default=0)

    @api.constrains(
        "distrib_receipt_variance_tolerance",
        "distrib_match_qty_tolerance",
        "distrib_match_price_tolerance",
        "distrib_delayed_receipt_grace_days",
    )
    def _check_distrib_tolerances(self):
        for company in self:
            for fname in (
                "distrib_receipt_variance_tolerance",
                "distrib_match_qty_tolerance",
                "distrib_match_price_tolerance",
            ):
                value = company[fname]
                if not 0.0 <= value <= 100.0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be a percentage between 0 and 100, "
                            "not %(value)s.",
                            field=self._fields[fname].string,
                            value=value,
                        )
                    )
            if company.distrib_delayed_receipt_grace_days < 0:
                raise ValidationError(
                    self.env._(
                        "The grace days of delayed receipts cannot be negative "
                        "(%(value)s).",
                        value=company.distrib_delayed_receipt_grace_days,
                    )
                )
