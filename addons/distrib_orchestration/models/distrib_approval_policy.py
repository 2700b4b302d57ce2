from odoo import api, fields, models

from odoo.addons.distrib_exceptions.models.distrib_approval_policy import (
    remove_approval_metric,
)

# What the confirmation checks of an order ask approval for.
ORDER_APPROVAL_METRICS = [
    ("margin_percent", "Margin %"),
    ("discount_percent", "Discount %"),
    ("credit_over_limit", "Credit Exposure Over Limit"),
]


class DistribApprovalPolicy(models.Model):
    _inherit = "distrib.approval.policy"

    # listed before the metrics of distrib_exceptions, as they always were
    metric = fields.Selection(
        selection_add=[*ORDER_APPROVAL_METRICS, ("valuation_impact",)],
        ondelete=dict.fromkeys(
            [key for key, _label in ORDER_APPROVAL_METRICS], remove_approval_metric
        ),
    )

    @api.model
    def _percent_metrics(self):
        return (*super()._percent_metrics(), "margin_percent", "discount_percent")
