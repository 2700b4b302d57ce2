from odoo import fields, models

from odoo.addons.distrib_exceptions.models.distrib_approval_policy import (
    remove_approval_metric,
)


class DistribApprovalPolicy(models.Model):
    _inherit = "distrib.approval.policy"

    metric = fields.Selection(
        selection_add=[("landed_cost_variance", "Landed-Cost Variance Value")],
        ondelete={"landed_cost_variance": remove_approval_metric},
    )
