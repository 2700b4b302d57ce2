from odoo import fields, models

from odoo.addons.distrib_exceptions.models.distrib_approval_policy import (
    remove_approval_metric,
)

ALLOCATION_METRICS = [
    ("reallocation_value", "Re-allocation Value"),
    ("shortage_value", "Shortage Value (confirm with backorder)"),
]


class DistribApprovalPolicy(models.Model):
    _inherit = "distrib.approval.policy"

    metric = fields.Selection(
        selection_add=ALLOCATION_METRICS,
        ondelete=dict.fromkeys(
            [key for key, _label in ALLOCATION_METRICS], remove_approval_metric
        ),
    )
