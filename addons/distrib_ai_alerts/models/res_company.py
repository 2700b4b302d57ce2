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
    distrib_ai_precheck = fields.Selection(
        [("warn", "Warn"), ("hold", "Hold until Finance Posts It")],
        string="Price Check Before Posting",
        help="Score each customer invoice when it posts and each order line "
        "when the order is confirmed (with the price alerts' model). Warn: the "
        "invoice posts with a message and an alert. Hold: it stays in draft with "
        "a blocking exception until a finance user posts it with a reason. "
        "Empty: no check before posting.",
    )
    distrib_ai_collections_check = fields.Boolean(
        string="Collections Priority",
        help="Each morning, rank the customers with overdue invoices by expected "
        "loss (overdue amount x the risk learnt from their payment history) and "
        "give the top cases an activity for the collector.",
    )
    distrib_ai_collector_id = fields.Many2one(
        "res.users",
        string="Collector",
        help="Who gets the morning activities; empty: the customer's salesperson.",
    )
    distrib_ai_collections_top = fields.Integer(
        string="Activities per Morning",
        default=5,
        help="How many of the top cases get an activity each morning.",
    )
    distrib_ai_stockout_check = fields.Boolean(
        string="Stockout Risk",
        help="Each day, find the products likely to run out in a warehouse before "
        "their next receipt (daily demand, supplier lead time and lateness, "
        "available stock) and propose the cheapest fix, applied by a person.",
    )
    distrib_ai_stockout_threshold = fields.Float(
        string="Stockout Risk Threshold (%)",
        default=50.0,
        help="A product is at risk above this chance of running out.",
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

    @api.constrains(
        "distrib_ai_sensitivity",
        "distrib_ai_feedback_tolerance",
        "distrib_ai_stockout_threshold",
    )
    def _check_distrib_ai_settings(self):
        for company in self:
            if not 1.0 <= company.distrib_ai_stockout_threshold <= 99.0:
                raise ValidationError(
                    self.env._(
                        "The stockout risk threshold is a percentage between 1 "
                        "and 99, not %(value)s.",
                        value=company.distrib_ai_stockout_threshold,
                    )
                )
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
