from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..scoring import DETECTORS


class ResCompany(models.Model):
    _inherit = "res.company"

    distrib_ai_price_check = fields.Boolean(
        string="Price and Discount Alerts",
        help="Posted customer invoice lines whose unit price, discount or rebate "
        "is unusual for the customer and product raise an anomaly exception.",
    )
    distrib_ai_inventory_check = fields.Boolean(
        string="Inventory Adjustment Alerts",
        help="Inventory adjustments whose quantity or time is unusual for the "
        "product and location raise an anomaly exception.",
    )
    distrib_ai_transfer_check = fields.Boolean(
        string="Transfer Alerts",
        help="Transfers between warehouses or companies whose quantity or route "
        "is unusual raise an anomaly exception.",
    )
    distrib_ai_late_risk_check = fields.Boolean(
        string="Late-Order Risk",
        help="Open sales order lines likely to miss their promised date raise a "
        "late-order risk exception with a recommended sourcing option.",
    )
    distrib_ai_sensitivity = fields.Float(
        string="Alert Sensitivity",
        default=1.0,
        help="Multiplies the deviation needed to alert: 1.0 is the default, "
        "1.5 alerts only on stronger deviations, 0.8 on weaker ones.",
    )
    distrib_ai_feedback_tolerance = fields.Float(
        string="Feedback Tolerance (%)",
        default=10.0,
        help="A case marked as expected or false positive silences the later "
        "cases of the same detector and key whose value is within this "
        "percentage of the marked one.",
    )

    @api.constrains("distrib_ai_sensitivity", "distrib_ai_feedback_tolerance")
    def _check_distrib_ai_settings(self):
        for company in self:
            if not 0.25 <= company.distrib_ai_sensitivity <= 4.0:
                raise ValidationError(
                    self.env._(
                        "The alert sensitivity must be between 0.25 and 4, "
                        "not %(value)s.",
                        value=company.distrib_ai_sensitivity,
                    )
                )
            if not 0.0 <= company.distrib_ai_feedback_tolerance <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The feedback tolerance must be a percentage between 0 "
                        "and 100, not %(value)s.",
                        value=company.distrib_ai_feedback_tolerance,
                    )
                )

    def _distrib_ai_enabled_detectors(self):
        """The registered detectors the company opted in to: each has its
        ``distrib_ai_<detector>_check`` setting."""
        self.ensure_one()
        return [
            detector for detector in DETECTORS if self[f"distrib_ai_{detector}_check"]
        ]
